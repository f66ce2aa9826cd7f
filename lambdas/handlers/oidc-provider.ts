// Every path under /oidc and discovery: oidc-provider's Koa app behind API Gateway's HTTP API
// (payload 2.0, adapted to Node's req/res by serverless-http). The issuer is the site's origin.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type Provider from 'oidc-provider';
import serverless from 'serverless-http';
import { siteConfig } from '../config';
import { rootLogger } from '../logger';
import { createProviderRuntime } from '../oidc/runtime';

const site = siteConfig();
const runtime = createProviderRuntime();
const siteHost = new URL(site.siteUrl).host;
const siteProtocol = new URL(site.siteUrl).protocol.replace(':', '');

// In Lambda, load the keys during the cold start (init has more CPU); a failure is reported by
// the first request. Elsewhere (tests loading the bundle) nothing is called at load.
const warm = process.env.AWS_LAMBDA_FUNCTION_NAME ? runtime.provider().catch(() => undefined) : Promise.resolve();

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
};

const handlers = new WeakMap<Provider, ReturnType<typeof serverless>>();

function handlerFor(provider: Provider): ReturnType<typeof serverless> {
  let handle = handlers.get(provider);
  if (!handle) {
    handle = serverless(provider, {
      request(
        request: { headers: Record<string, string | undefined>; socket: { encrypted?: boolean } },
        event: APIGatewayProxyEventV2,
      ) {
        // API Gateway's Host is its own domain; links and checks must use the site's origin
        // (the issuer), whatever the request says. The viewer's address comes from CloudFront.
        request.headers.host = siteHost;
        request.headers['x-forwarded-host'] = siteHost;
        request.headers['x-forwarded-proto'] = siteProtocol;
        // serverless-http marks every request as TLS; the local runner's site is plain http.
        request.socket.encrypted = siteProtocol === 'https';
        const viewer = event.headers?.['cloudfront-viewer-address'];
        if (viewer) request.headers['x-forwarded-for'] = viewer.replace(/:\d+$/, '');
      },
    });
    handlers.set(provider, handle);
  }
  return handle;
}

export async function handler(
  event: APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2> {
  await warm;
  try {
    const provider = await runtime.provider();
    const result = (await handlerFor(provider)(event, context)) as APIGatewayProxyStructuredResultV2;
    await runtime.settle();
    return { ...result, headers: { ...SECURITY_HEADERS, ...result.headers } };
  } catch (error) {
    rootLogger.error('provider unavailable', { error });
    return {
      statusCode: 503,
      headers: {
        ...SECURITY_HEADERS,
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        'retry-after': '30',
      },
      body: 'Sign-in for tools is temporarily unavailable. Try again in a minute.',
    };
  }
}
