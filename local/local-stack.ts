// The whole system on one machine: emulators, the bundles Lambda runs (built from the same
// definition, each function in a worker thread with its own environment and credentials) behind a
// local "API Gateway", the pages as CloudFront would serve them, an in-process queue, and a local inbox.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyStructuredResultV2, SQSBatchResponse } from 'aws-lambda';
import { portalDefaults } from '../lambdas/definitions/portal';
import { type ApiRoute, apiRoutes, providerFunction, queueConsumers } from '../lambdas/definitions/routes';
import { problem } from '../lambdas/http/responses';
import { buildSite } from '../lib/site-build';
import { PAGE_SECURITY_HEADERS } from '../lib/site-headers';
import {
  LANGUAGE_COOKIE,
  languageCookieAttributes,
  routeSiteRequest,
  siteRequestFrom,
  siteRoutingTable,
} from '../lib/site-routing';
import { toApiGatewayEvent, writeApiGatewayResult } from './api-gateway';
import { inputRefusal } from './aws-input-limits';
import { type Bootstrapped, bootstrap } from './bootstrap';
import { buildBundles, DEFAULT_BUNDLE_CACHE, handlerEntries } from './bundles';
import { cognitoAdminAuth } from './cognito-admin-auth';
import { type RunningEmulator, startCognito, startDynamo, startSes } from './emulators';
import { FaultProxy, type FaultRule } from './fault-proxy';
import { LocalFunction } from './function-runtime';
import type { LocalService } from './iam/aws-requests';
import { IamEnforcer } from './iam/iam-enforcer';
import { functionPolicies, LOCAL_REGION, templateSettings } from './iam/template-policies';
import { loadTemplate } from './iam/template-source';
import { startKms } from './kms';
import { LocalQueue } from './local-queue';
import { isProviderPath, localProviderClients } from './oidc-local';
import { createKeySecret, startSecretsManager } from './secrets-manager';

export interface LocalStackOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  /** Where cognito-local keeps its files and the site is built; a fresh temporary folder if unset. Emptied at start. */
  readonly dataDir?: string;
  readonly portalName?: string;
  /** Extra environment for the handlers (e.g. RESET_TOKEN_MINUTES). */
  readonly env?: Readonly<Record<string, string>>;
  /** Where the Lambda bundles are built and kept between runs; default .local/bundles. */
  readonly bundleCacheDir?: string;
  /** Delay before a failed queue message is delivered again (SQS: the visibility timeout). */
  readonly queueRetryDelayMs?: number;
  /** Tools to register besides OIDC_CLIENTS (the demo tool). */
  readonly extraClients?: readonly Record<string, unknown>[];
  /** Puts a fault-injecting proxy before each service, driven by POST /_local/faults (tests only). */
  readonly faultInjection?: boolean;
  /** Appends each (function, action, allowed) the IAM proxies see to this file, as JSON lines. */
  readonly iamCallLog?: string;
}

export interface LocalStack {
  readonly url: string;
  readonly sesUrl: string;
  readonly bootstrapped: Bootstrapped;
  readonly queue: LocalQueue;
  readonly endpoints: {
    readonly dynamodb: string;
    readonly cognito: string;
    readonly ses: string;
    readonly secretsmanager: string;
  };
  /** Checks every call of the handlers against their role in the synthesized template. */
  readonly iam: IamEnforcer;
  /** The environment every function runs with (its own credentials aside): what the ops CLI reads. */
  readonly environment: Readonly<Record<string, string>>;
  /** Which Lambda bundles this start built, and which it reused from the cache. */
  readonly bundles: { readonly built: readonly string[]; readonly reused: readonly string[] };
  stop(): Promise<void>;
}

/** API Gateway refuses payloads over 10 MB; locally 1 MB is plenty to show the handlers' own limit. */
const MAX_LOCAL_BODY = 1024 * 1024;

export interface InboxEmail {
  readonly to: string;
  readonly from: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly date: string;
}

export async function readInbox(sesUrl: string): Promise<InboxEmail[]> {
  const response = await fetch(`${sesUrl}/store`);
  const store = (await response.json()) as {
    emails: {
      from: string;
      destination: { to: string[] };
      subject: string;
      body: { html?: string; text?: string };
      at: number;
    }[];
  };
  return store.emails
    .map((email, index) => ({ email, index }))
    .sort((a, b) => b.email.at - a.email.at || b.index - a.index)
    .map(({ email }) => ({
      to: email.destination.to.join(', '),
      from: email.from,
      subject: email.subject,
      text: email.body.text ?? '',
      html: email.body.html ?? '',
      date: new Date(email.at * 1000).toISOString(),
    }));
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_LOCAL_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

interface StaticFile {
  readonly body: Buffer;
  readonly gzip: Buffer;
  readonly type: string;
  readonly cacheControl: string;
}

function loadSite(outDir: string, immutable: readonly string[]): Map<string, StaticFile> {
  // Keyed by file path (/forgot.html, /it/forgot.html); lib/site-routing.ts maps page paths to them.
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(outDir, { recursive: true, encoding: 'utf8' })) {
    const full = join(outDir, name);
    if (!statSync(full).isFile()) continue;
    const body = readFileSync(full);
    const extension = name.slice(name.lastIndexOf('.') + 1);
    files.set(`/${name.split(sep).join('/')}`, {
      body,
      gzip: gzipSync(body),
      type: CONTENT_TYPES[extension] ?? 'application/octet-stream',
      cacheControl: immutable.includes(name) ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  }
  return files;
}

type FaultService = 'dynamodb' | 'cognito' | 'ses' | 'sqs' | 'secretsmanager' | 'kms';

/** POST {service, kind, match?, times} injects faults; DELETE clears them all. */
async function controlFaults(
  req: IncomingMessage,
  method: string,
  proxies: Map<FaultService, FaultProxy>,
): Promise<APIGatewayProxyStructuredResultV2> {
  const reply = (statusCode: number, body: unknown) => ({
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  });
  if (method === 'DELETE') {
    for (const proxy of proxies.values()) proxy.clear();
    return reply(200, { cleared: true });
  }
  if (method !== 'POST') return reply(405, { error: 'method_not_allowed' });
  const body = (await readBody(req)) ?? Buffer.alloc(0);
  const rule = JSON.parse(body.toString('utf8') || '{}') as FaultRule & { service: FaultService };
  const proxy = proxies.get(rule.service);
  if (!proxy || (rule.kind !== 'error' && rule.kind !== 'throttle') || !(rule.times > 0)) {
    return reply(400, {
      error: 'invalid_fault',
      message: 'send {service: dynamodb|cognito|ses|sqs|secretsmanager|kms, kind: error|throttle, times, match?}',
    });
  }
  proxy.inject({ kind: rule.kind, times: rule.times, ...(rule.match ? { match: [rule.match].flat() } : {}) });
  return reply(200, { injected: rule });
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'support-access-'));
  rmSync(dataDir, { recursive: true, force: true });
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const item of started.reverse()) await item.stop().catch(() => undefined);
  };
  // The synthesized template whose role policies the proxies enforce: read from its cache, or
  // synthesized here before anything else starts (it is CPU-bound and would slow the emulators' start).
  const templateReady = loadTemplate();
  templateReady.catch(() => undefined);
  // The same bundles the stack deploys, built while the emulators start (a second start reuses them).
  const consumer = queueConsumers.resetRequests;
  const functionNames = [
    ...(Object.values(apiRoutes) as ApiRoute[]).map((route) => route.handler),
    providerFunction.handler,
    consumer.handler,
  ];
  const bundlesReady = buildBundles(handlerEntries(functionNames), options.bundleCacheDir ?? DEFAULT_BUNDLE_CACHE);
  // Awaited below; until then a failed build must not count as an unhandled rejection.
  bundlesReady.catch(() => undefined);
  try {
    const [dynamo, ses, cognito, secrets, kms] = await Promise.all([
      startDynamo(),
      startSes(),
      startCognito(dataDir),
      startSecretsManager(),
      startKms(),
    ]);
    started.push(dynamo, ses, cognito as RunningEmulator, secrets, kms);
    const template = await templateReady;
    const settings = templateSettings(template.template);
    const endpoints = {
      dynamodb: dynamo.endpoint,
      ses: ses.endpoint,
      cognito: cognito.endpoint,
      secretsmanager: secrets.endpoint,
    };
    const bootstrapped = await bootstrap(endpoints, settings.templatePrefix);
    const keysSecret = await createKeySecret(secrets.endpoint);

    const queue = new LocalQueue({
      name: 'reset-requests',
      maxReceiveCount: consumer.maxReceiveCount,
      retryDelayMs: options.queueRetryDelayMs ?? 2000,
      onDeadLetter: () => console.error('[local] a reset request went to the dead-letter queue (see /_local/queue)'),
    });
    const queueUrl = await queue.start();
    started.push(queue);

    // The handlers talk to each service through a proxy of ours. It checks each call against the
    // calling function's role in the synthesized template (IAM), keeps idle connections open far
    // longer than the emulators do (they drop them after 5 s, and a request that reuses one at that
    // moment fails with ECONNRESET), and with faultInjection it can be told to fail calls.
    const queueUrlForHandlers = (proxyEndpoint: string) => queueUrl.replace(queue.endpoint, proxyEndpoint);
    const iam = new IamEnforcer(
      functionPolicies(template.template, {
        tableName: bootstrapped.tableName,
        userPoolId: bootstrapped.userPoolId,
        clientId: bootstrapped.clientId,
        queueName: queue.name,
        queueUrl,
        factorKeyArn: kms.keyArn,
        keysSecretArn: keysSecret,
      }),
      { origin: template.origin, ...(options.iamCallLog ? { callLog: options.iamCallLog } : {}) },
    );
    const proxies = new Map<FaultService, FaultProxy>();
    const handlerEndpoints: Record<FaultService, string> = { ...endpoints, sqs: queue.endpoint, kms: kms.endpoint };
    for (const service of Object.keys(handlerEndpoints) as FaultService[]) {
      const iamService: LocalService = service;
      // As in AWS: authorisation first, then the input rules the emulators lack; the Cognito proxy
      // then plays the admin sign-in flow cognito-local lacks (local/cognito-admin-auth.ts).
      const proxy = new FaultProxy(
        handlerEndpoints[service],
        async (request) => (await iam.check(iamService, request)) ?? inputRefusal(iamService, request),
        service === 'cognito'
          ? cognitoAdminAuth(new Map([[bootstrapped.clientId, bootstrapped.clientSecret]]))
          : undefined,
      );
      handlerEndpoints[service] = await proxy.start();
      proxies.set(service, proxy);
      started.push(proxy);
    }

    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 3000, '127.0.0.1', () => resolve());
    });
    started.push({
      stop: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    });
    // The site's origin names localhost, not the address it listens on: browsers refuse an IP
    // address as a passkey's relying-party id, which is the site's host (definitions/passkeys.ts).
    // Visitors of http://127.0.0.1:<port> are sent there by the canonical-host redirect below.
    const url = `http://localhost:${(server.address() as AddressInfo).port}`;
    const portalName = options.portalName ?? process.env.PORTAL_NAME ?? portalDefaults.name;

    // What each function finds in its environment. The shell's settings pass through (log level,
    // PORTAL_NAME, RATE_LIMITS...), but never its AWS credentials, profile or endpoints: a function
    // runs with its own (function-runtime.ts), and talks to the local services only.
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        (entry): entry is [string, string] =>
          entry[1] !== undefined &&
          !/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|ENDPOINT_URL)/.test(entry[0]),
      ),
    );
    const functionEnvironment: Record<string, string> = {
      ...inherited,
      AWS_REGION: LOCAL_REGION,
      AWS_MAX_ATTEMPTS: '1',
      AWS_ENDPOINT_URL_DYNAMODB: handlerEndpoints.dynamodb,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: handlerEndpoints.cognito,
      AWS_ENDPOINT_URL_SESV2: handlerEndpoints.ses,
      AWS_ENDPOINT_URL_SQS: handlerEndpoints.sqs,
      AWS_ENDPOINT_URL_KMS: handlerEndpoints.kms,
      FACTOR_KEY_ID: kms.keyArn,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: handlerEndpoints.secretsmanager,
      OIDC_KEYS_SECRET: keysSecret,
      TABLE_NAME: bootstrapped.tableName,
      USER_POOL_ID: bootstrapped.userPoolId,
      USER_POOL_CLIENT_ID: bootstrapped.clientId,
      SENDER_EMAIL: settings.senderEmail ?? 'no-reply@support.example.com',
      OPS_EMAIL: settings.opsEmail ?? 'ops@support.example.com',
      EMAIL_TEMPLATE_PREFIX: bootstrapped.templatePrefix,
      SITE_URL: url,
      // The SDK sends to the queue URL's host, so the URL names the proxy when there is one.
      RESET_QUEUE_URL: queueUrlForHandlers(handlerEndpoints.sqs),
      COGNITO_GLOBAL_SIGN_OUT: 'unsupported',
      PORTAL_NAME: portalName,
      POWERTOOLS_SERVICE_NAME: 'support-access',
      ...options.env,
      OIDC_CLIENTS: localProviderClients(options.env?.OIDC_CLIENTS ?? process.env.OIDC_CLIENTS, options.extraClients),
    };

    const bundles = await bundlesReady;
    const functions = new Map<string, LocalFunction>();
    for (const name of functionNames) {
      const fn = new LocalFunction(name, bundles.files[name] as string, functionEnvironment);
      functions.set(name, fn);
      started.push(fn);
    }
    // Module init of every function at once, as Lambda containers would start side by side.
    await Promise.all([...functions.values()].map((fn) => fn.start()));

    const handlers = new Map<string, LocalFunction>();
    for (const route of Object.values(apiRoutes) as ApiRoute[]) {
      handlers.set(`${route.method} ${route.path}`, functions.get(route.handler) as LocalFunction);
    }
    const provider = functions.get(providerFunction.handler) as LocalFunction;
    const worker = functions.get(consumer.handler) as LocalFunction;
    queue.attach((event) => worker.invoke<SQSBatchResponse>(event, { awsRequestId: randomUUID() }));

    const site = buildSite({
      outDir: join(dataDir, 'site'),
      portalName,
      primaryColour: process.env.PRIMARY_COLOUR ?? portalDefaults.primaryColour,
    });
    const files = loadSite(site.outDir, site.immutableFiles);
    const routing = siteRoutingTable();
    const host = new URL(url).host;

    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      void handle(req, res).catch((error: unknown) => {
        console.error('[local] request failed', error);
        if (!res.headersSent)
          writeApiGatewayResult(res, { statusCode: 500, body: '{"message":"Internal Server Error"}' });
      });
    });

    async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const path = new URL(req.url ?? '/', url).pathname;
      const method = req.method ?? 'GET';
      // One canonical origin, as with the real domain: SITE_URL is what links and the Origin check use.
      if (req.headers.host !== host && (method === 'GET' || method === 'HEAD')) {
        res.writeHead(301, { location: `${url}${req.url ?? '/'}` });
        res.end();
        return;
      }
      if (isProviderPath(path)) {
        const body = await readBody(req);
        if (body === undefined) {
          writeApiGatewayResult(res, problem('payload_too_large'));
          return;
        }
        const event = toApiGatewayEvent(req, body, `ANY ${path.startsWith('/oidc/') ? '/oidc/{proxy+}' : path}`);
        writeApiGatewayResult(
          res,
          await provider.invoke<APIGatewayProxyStructuredResultV2>(event, { awsRequestId: randomUUID() }),
        );
        return;
      }
      if (path === '/api' || path.startsWith('/api/')) {
        const handler = handlers.get(`${method} ${path}`);
        if (!handler) {
          const known = (Object.values(apiRoutes) as ApiRoute[]).some((r) => r.path === path);
          writeApiGatewayResult(res, problem(known ? 'method_not_allowed' : 'not_found'));
          return;
        }
        const body = await readBody(req);
        if (body === undefined) {
          writeApiGatewayResult(res, problem('payload_too_large'));
          return;
        }
        const requestId = randomUUID();
        const event = toApiGatewayEvent(req, body, `${method} ${path}`);
        writeApiGatewayResult(
          res,
          await handler.invoke<APIGatewayProxyStructuredResultV2>(event, { awsRequestId: requestId }),
        );
        return;
      }
      if (path === '/_local/inbox' && method === 'GET') {
        writeApiGatewayResult(res, {
          statusCode: 200,
          headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
          body: JSON.stringify(await readInbox(endpoints.ses)),
        });
        return;
      }
      if (path === '/_local/faults' && options.faultInjection) {
        writeApiGatewayResult(res, await controlFaults(req, method, proxies));
        return;
      }
      if (path === '/_local/iam-calls' && method === 'GET') {
        writeApiGatewayResult(res, {
          statusCode: 200,
          headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
          body: JSON.stringify(iam.calls()),
        });
        return;
      }
      if (path === '/_local/queue' && method === 'GET') {
        writeApiGatewayResult(res, {
          statusCode: 200,
          headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
          body: JSON.stringify(queue.stats()),
        });
        return;
      }
      // The page in the visitor's language, as the CloudFront Function picks it (lib/site-routing.ts).
      const route = routeSiteRequest(routing, siteRequestFrom(req.url ?? '/', req.headers));
      if (route.kind === 'redirect' && (method === 'GET' || method === 'HEAD')) {
        res.writeHead(302, {
          ...PAGE_SECURITY_HEADERS,
          location: route.location,
          'cache-control': 'no-store',
          ...(route.setLanguage
            ? { 'set-cookie': `${LANGUAGE_COOKIE}=${route.setLanguage}; ${languageCookieAttributes(false)}` }
            : {}),
        });
        res.end();
        return;
      }
      const file = files.get(route.kind === 'page' ? route.file : path);
      if (!file || (method !== 'GET' && method !== 'HEAD')) {
        res.writeHead(file ? 405 : 404, { ...PAGE_SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' });
        // The same 404 page the CloudFront Function answers with, in the visitor's language.
        const language = route.kind === 'not-found' ? route.language : routing.defaultLanguage;
        res.end(file ? '' : site.notFound[language as keyof typeof site.notFound]);
        return;
      }
      const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      const body = gzip ? file.gzip : file.body;
      res.writeHead(200, {
        ...PAGE_SECURITY_HEADERS,
        'content-type': file.type,
        'cache-control': file.cacheControl,
        'content-length': String(body.length),
        vary: route.kind === 'page' ? 'accept-encoding, accept-language, cookie' : 'accept-encoding',
        ...(route.kind === 'page' ? { 'content-language': route.language } : {}),
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      });
      res.end(method === 'HEAD' ? undefined : body);
    }

    return {
      url,
      sesUrl: endpoints.ses,
      bootstrapped,
      queue,
      endpoints,
      iam,
      environment: functionEnvironment,
      bundles: { built: bundles.built, reused: bundles.reused },
      stop: async () => {
        await stopAll();
        if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
