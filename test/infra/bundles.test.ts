// Really bundles every function (esbuild, as `cdk synth` does) and loads each bundle with the exact
// environment the stack gives it: a missing bundle, a missing variable or a module that fails at
// start fails here instead of in Lambda. The local stack's bundles must be these very files.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { apiRoutes, providerFunction, queueConsumers } from '../../lambdas/definitions/routes';
import { maxBundleBytes } from '../../lib/bundling';
import type { SupportAccessStack } from '../../lib/support-access-stack';
import { type BundleSet, buildBundles, bundledPackages, handlerEntries } from '../../local/bundles';
import { build, logicalId, render } from './fixture';

let stack: SupportAccessStack;
let assemblyDir: string;
let resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** A resource's properties; a missing resource fails the test here, not with a TypeError later. */
function propertiesOf(id: string): Record<string, unknown> {
  const resource = resources[id];
  if (!resource) throw new Error(`no resource ${id} in the template`);
  return resource.Properties;
}

let localBundles: BundleSet;
let localDir: string;

beforeAll(async () => {
  const built = build({}, { bundle: true });
  stack = built.stack;
  assemblyDir = built.app.outdir;
  resources = built.template.toJSON().Resources;
  // What `npm start` and the integration and browser suites run, built into an empty cache.
  localDir = mkdtempSync(join(tmpdir(), 'support-access-bundles-'));
  localBundles = await buildBundles(handlerEntries(localFunctions), localDir);
}, 600_000);

afterAll(() => rmSync(localDir, { recursive: true, force: true }));

const AUTHORIZER = 'origin-verify-authorizer';
/** The functions the local stack runs (the authorizer stands for CloudFront's secret header, which local has not). */
const localFunctions: string[] = [
  ...Object.values(apiRoutes).map((route) => route.handler),
  queueConsumers.resetRequests.handler,
  providerFunction.handler,
];
const ROTATION = 'origin-secret-rotation';
const expectedFunctions = [...localFunctions, AUTHORIZER, ROTATION];

const DYNAMODB = '@aws-sdk/client-dynamodb';
const COGNITO = '@aws-sdk/client-cognito-identity-provider';
const SES = '@aws-sdk/client-sesv2';
const SQS = '@aws-sdk/client-sqs';
const KMS = '@aws-sdk/client-kms';
const SECRETS_MANAGER = '@aws-sdk/client-secrets-manager';

/**
 * The services each function calls (lib/function-access.ts grants them; session-new-password's
 * RespondToAuthChallenge needs no IAM grant). Its bundle must build these clients and no other:
 * a client that tree-shaking keeps is a client the function constructs at start.
 */
const clientsCalled: Record<string, string[]> = {
  'password-reset-request': [DYNAMODB, SQS],
  'password-reset-confirm': [COGNITO, DYNAMODB, SECRETS_MANAGER, SES],
  'password-reset-worker': [COGNITO, DYNAMODB, SES],
  'session-create': [COGNITO, DYNAMODB],
  'session-new-password': [COGNITO, DYNAMODB],
  'session-get': [DYNAMODB],
  // Also end the person's tool sessions: the account's sub, the provider's key (tool-logout.ts).
  'session-delete': [COGNITO, DYNAMODB, SECRETS_MANAGER],
  'oidc-provider': [COGNITO, DYNAMODB, SECRETS_MANAGER],
  // Second factors: the key only where a secret is sealed or opened, SES only where a notice goes;
  // the directory (Cognito) comes with the shared session wiring.
  'session-second-factor': [COGNITO, DYNAMODB, KMS, SES],
  'account-get': [COGNITO, DYNAMODB],
  'account-totp-start': [COGNITO, DYNAMODB, KMS],
  'account-totp-confirm': [COGNITO, DYNAMODB, KMS, SES],
  'account-totp-remove': [COGNITO, DYNAMODB, KMS, SES],
  'account-recovery-codes': [COGNITO, DYNAMODB, SES],
  'account-sessions-revoke': [COGNITO, DYNAMODB, SES],
  // Passkeys need no key (their public keys are not secret); SES where a change is confirmed.
  'session-passkey-options': [COGNITO, DYNAMODB],
  'session-passkey': [COGNITO, DYNAMODB],
  'account-passkey-options': [COGNITO, DYNAMODB],
  'account-passkey-add': [COGNITO, DYNAMODB, SES],
  'account-passkey-remove': [COGNITO, DYNAMODB, SES],
  'credential-request': [COGNITO, DYNAMODB, SES],
};

/** The bundle with its last line (`//# sourceMappingURL=<file name>.map`) cut, the only line that names the file. */
function withoutMapComment(code: string): string {
  return code.replace(/\/\/# sourceMappingURL=\S+\s*$/, '');
}

function functionOf(name: string): CfnFunction {
  const fn =
    name === AUTHORIZER
      ? stack.api.authorizerFunction
      : name === ROTATION
        ? stack.originSecretRotation.function
        : name === queueConsumers.resetRequests.handler
          ? stack.worker
          : stack.api.functions.get(name);
  if (!fn) throw new Error(`the stack has no function for ${name}`);
  return fn.node.defaultChild as CfnFunction;
}

test('the stack has exactly one function per route, the queue worker, the provider, the authorizer and the secret rotation', () => {
  expect(
    Object.keys(resources).filter(
      (id) => resources[id]?.Type === 'AWS::Lambda::Function' && propertiesOf(id).Runtime === 'nodejs24.x',
    ),
  ).toHaveLength(expectedFunctions.length);
});

describe.each(expectedFunctions)('%s', (name) => {
  const properties = () => propertiesOf(logicalId(functionOf(name))) as unknown as Record<string, unknown>;
  const bundleDir = () => {
    const key = (properties().Code as { S3Key: string }).S3Key;
    return join(assemblyDir, `asset.${key.replace(/\.zip$/, '')}`);
  };

  test('is bundled: minified ESM within the size budget, the AWS SDK inside, a source map without sources', () => {
    const dir = bundleDir();
    const file = join(dir, 'index.mjs');
    expect(existsSync(file)).toBe(true);
    expect(existsSync(join(dir, 'index.js'))).toBe(false);
    expect(properties().Handler).toBe('index.handler');
    const code = readFileSync(file, 'utf8');
    expect(statSync(file).size).toBeGreaterThan(500);
    expect(statSync(file).size).toBeLessThanOrEqual(maxBundleBytes(name));
    // An ES module: it exports with `export`, and CommonJS dependencies get require() from the banner.
    expect(code).toMatch(/\bexport\s*\{[^}]*\bas handler\b/);
    expect(code).toMatch(/^import\{createRequire as __cr\}from'node:module';const require=__cr\(import\.meta\.url\);/);
    // (The provider's CommonJS dependencies, Koa's among them, still assign module.exports inside
    // esbuild's wrappers; the bundle itself exports with `export`, checked above.)
    if (name !== 'oidc-provider') expect(code).not.toMatch(/\bmodule\.exports\s*=/);
    // Only the SDK's optional CRT signer (loaded in a try, for SigV4a) stays outside the bundle.
    const external = [
      ...code.matchAll(/(?:require\(|from\s*|import\()"(@aws-sdk\/[^"]+|@aws-lambda-powertools\/[^"]+|zod)"/g),
    ].map((m) => m[1]);
    expect(external.filter((name) => name !== '@aws-sdk/signature-v4-crt')).toEqual([]);
    expect(code).toMatch(/sourceMappingURL=index\.mjs\.map\s*$/);
    const map = JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8')) as { sourcesContent?: unknown };
    expect(map.sourcesContent).toBeUndefined();
  });

  test('has the memory lib/function-sizing.ts chose for its kind', () => {
    // Nobody waits on the worker or the monthly secret rotation; a person waits on every API function.
    const expected =
      name === AUTHORIZER ? 128 : name === queueConsumers.resetRequests.handler || name === ROTATION ? 256 : 512;
    expect(properties().MemorySize).toBe(expected);
  });

  test('does not read its source map at start (no --enable-source-maps)', () => {
    const variables = (properties().Environment as { Variables: Record<string, unknown> }).Variables;
    expect(render(variables.NODE_OPTIONS ?? '')).not.toMatch(/source-maps/);
  });

  if (localFunctions.includes(name)) {
    test('holds the SDK clients of the services it calls, and no other', () => {
      const clients = bundledPackages(localDir, name).filter((p) => p.startsWith('@aws-sdk/client-'));
      expect(clients).toEqual([...(clientsCalled[name] ?? ['(no entry in clientsCalled)'])].sort());
    });

    test('is byte for byte the bundle the local stack runs', () => {
      const deployed = readFileSync(join(bundleDir(), 'index.mjs'), 'utf8');
      const local = readFileSync(localBundles.files[name] as string, 'utf8');
      expect(withoutMapComment(local)).toBe(withoutMapComment(deployed));
    });
  }

  test('starts with the environment the stack gives it and exports a handler', () => {
    const variables = (properties().Environment as { Variables: Record<string, unknown> }).Variables;
    // Deploy-time values (a Ref, the distribution's name) become plausible stand-ins.
    const env = Object.fromEntries(
      Object.entries(variables).map(([key, value]) => [
        key,
        render(value).replace(/\$\{[^}]+\}/g, key === 'SITE_URL' ? 'd111111abcdef8.cloudfront.net' : 'deployed-value'),
      ]),
    );
    // A fresh Node process, as a Lambda container: the module init runs with exactly this environment.
    const script = `const m = await import(${JSON.stringify(pathToFileURL(join(bundleDir(), 'index.mjs')).href)}); process.stdout.write(typeof m.handler);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', POWERTOOLS_LOG_LEVEL: 'SILENT', ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toBe('function');
  });
});
