// Really bundles every function (esbuild, as `cdk synth` does) and loads each bundle with the exact
// environment the stack gives it: a missing bundle, a missing variable or a module that fails at
// start fails here instead of in Lambda.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { apiRoutes, providerFunction, queueConsumers } from '../../lambdas/definitions/routes';
import type { SupportAccessStack } from '../../lib/support-access-stack';
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

beforeAll(() => {
  const built = build({}, { bundle: true });
  stack = built.stack;
  assemblyDir = built.app.outdir;
  resources = built.template.toJSON().Resources;
}, 120_000);

const AUTHORIZER = 'origin-verify-authorizer';
const expectedFunctions = [
  ...Object.values(apiRoutes).map((route) => route.handler),
  queueConsumers.resetRequests.handler,
  providerFunction.handler,
  AUTHORIZER,
];

function functionOf(name: string): CfnFunction {
  const fn =
    name === AUTHORIZER
      ? stack.api.authorizerFunction
      : name === queueConsumers.resetRequests.handler
        ? stack.worker
        : stack.api.functions.get(name);
  if (!fn) throw new Error(`the stack has no function for ${name}`);
  return fn.node.defaultChild as CfnFunction;
}

test('the stack has exactly one function per route, the queue worker, the provider and the authorizer', () => {
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

  test('is bundled: minified CommonJS with the AWS SDK inside and a source map without sources', () => {
    const dir = bundleDir();
    expect(existsSync(join(dir, 'index.js'))).toBe(true);
    const code = readFileSync(join(dir, 'index.js'), 'utf8');
    expect(statSync(join(dir, 'index.js')).size).toBeGreaterThan(500);
    // Only the SDK's optional CRT signer (loaded in a try, for SigV4a) stays outside the bundle.
    const external = [...code.matchAll(/require\("(@aws-sdk\/[^"]+|@aws-lambda-powertools\/[^"]+|zod)"\)/g)].map(
      (m) => m[1],
    );
    expect(external.filter((name) => name !== '@aws-sdk/signature-v4-crt')).toEqual([]);
    expect(code).toMatch(/sourceMappingURL=index\.js\.map/);
    const map = JSON.parse(readFileSync(join(dir, 'index.js.map'), 'utf8')) as { sourcesContent?: unknown };
    expect(map.sourcesContent).toBeUndefined();
  });

  test('starts with the environment the stack gives it and exports a handler', () => {
    const variables = (properties().Environment as { Variables: Record<string, unknown> }).Variables;
    // Deploy-time values (a Ref, the distribution's name) become plausible stand-ins.
    const env = Object.fromEntries(
      Object.entries(variables).map(([key, value]) => [
        key,
        render(value).replace(/\$\{[^}]+\}/g, key === 'SITE_URL' ? 'd111111abcdef8.cloudfront.net' : 'deployed-value'),
      ]),
    );
    const saved = process.env;
    const emitWarning = process.emitWarning;
    process.env = { PATH: saved.PATH, AWS_REGION: 'eu-west-1', POWERTOOLS_LOG_LEVEL: 'SILENT', ...env };
    // The bundled SDK warns once per load about Node 20's end of support (see TOOLCHAIN.md).
    process.emitWarning = () => undefined;
    try {
      let loaded: { handler?: unknown } = {};
      jest.isolateModules(() => {
        loaded = require(join(bundleDir(), 'index.js'));
      });
      expect(typeof loaded.handler).toBe('function');
    } finally {
      process.env = saved;
      process.emitWarning = emitWarning;
    }
  });
});
