// The authorizer that keeps the API reachable only through CloudFront: it accepts the current and
// the previous origin secret from Secrets Manager, caches them briefly, and sees a rotation at once.
import type * as SecretsManager from '@aws-sdk/client-secrets-manager';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { ORIGIN_SECRET_CACHE_SECONDS, REFRESH_ON_MISS_MS } from '../../lib/origin-verify';

const ARN = 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:OriginVerifySecret-AbCdEf';
const FIRST = 'a'.repeat(20) + 'B'.repeat(28);
const SECOND = 'c'.repeat(20) + 'D'.repeat(28);
const THIRD = 'e'.repeat(20) + 'F'.repeat(28);

type Handler = (event: APIGatewayRequestAuthorizerEventV2) => Promise<{ isAuthorized: boolean }>;

let stages: { AWSCURRENT: string; AWSPREVIOUS?: string };
let now = 1_000_000;
// biome-ignore lint/suspicious/noExplicitAny: the stub's input and output types are the SDK's, loaded per test
let secrets: AwsStub<any, any, any>;
let getSecretValue: typeof SecretsManager.GetSecretValueCommand;

/** A fresh copy of the authorizer (its cache starts empty) with the SDK it loads mocked. */
function load(arn: string | null = ARN): Handler {
  const saved = process.env.ORIGIN_VERIFY_SECRET_ARN;
  if (arn === null) delete process.env.ORIGIN_VERIFY_SECRET_ARN;
  else process.env.ORIGIN_VERIFY_SECRET_ARN = arn;
  try {
    let handler: Handler | undefined;
    jest.isolateModules(() => {
      const sdk = require('@aws-sdk/client-secrets-manager') as typeof SecretsManager;
      getSecretValue = sdk.GetSecretValueCommand;
      secrets = mockClient(sdk.SecretsManagerClient);
      secrets.on(sdk.GetSecretValueCommand).callsFake((input: { VersionStage: 'AWSCURRENT' | 'AWSPREVIOUS' }) => {
        const value = stages[input.VersionStage];
        if (value === undefined) {
          throw new sdk.ResourceNotFoundException({
            message: "Secrets Manager can't find the specified secret value",
            $metadata: {},
          });
        }
        return { SecretString: value };
      });
      handler = require('../../lib/functions/origin-verify-authorizer').handler;
    });
    if (!handler) throw new Error('no handler');
    return handler;
  } finally {
    if (saved === undefined) delete process.env.ORIGIN_VERIFY_SECRET_ARN;
    else process.env.ORIGIN_VERIFY_SECRET_ARN = saved;
  }
}

const event = (headers: Record<string, string>) => ({ headers }) as unknown as APIGatewayRequestAuthorizerEventV2;
const withSecret = (value: string) => event({ 'x-origin-verify': value });

beforeEach(() => {
  stages = { AWSCURRENT: FIRST };
  now = 1_000_000;
  jest.spyOn(Date, 'now').mockImplementation(() => now);
});

afterEach(() => {
  secrets?.restore();
  jest.restoreAllMocks();
});

test('admits a request carrying the secret CloudFront adds, reading it from Secrets Manager', async () => {
  await expect(load()(withSecret(FIRST))).resolves.toEqual({ isAuthorized: true });
  expect(secrets.commandCalls(getSecretValue).map((c) => c.args[0].input)).toEqual([
    { SecretId: ARN, VersionStage: 'AWSCURRENT' },
    { SecretId: ARN, VersionStage: 'AWSPREVIOUS' },
  ]);
});

test('refuses a wrong, shorter, longer or missing value', async () => {
  const handler = load();
  const cases: Record<string, string>[] = [
    { 'x-origin-verify': FIRST.replace('a', 'b') },
    { 'x-origin-verify': FIRST.slice(1) },
    { 'x-origin-verify': `${FIRST}x` },
    { 'x-origin-verify': '' },
    {},
  ];
  for (const headers of cases) {
    await expect(handler(event(headers))).resolves.toEqual({ isAuthorized: false });
  }
});

test('during a rotation accepts the new value and the previous one, and nothing older', async () => {
  stages = { AWSCURRENT: SECOND, AWSPREVIOUS: FIRST };
  const handler = load();
  await expect(handler(withSecret(SECOND))).resolves.toEqual({ isAuthorized: true });
  await expect(handler(withSecret(FIRST))).resolves.toEqual({ isAuthorized: true });
  // A second rotation revokes the first value.
  stages = { AWSCURRENT: THIRD, AWSPREVIOUS: SECOND };
  now += ORIGIN_SECRET_CACHE_SECONDS * 1000;
  await expect(handler(withSecret(FIRST))).resolves.toEqual({ isAuthorized: false });
  await expect(handler(withSecret(THIRD))).resolves.toEqual({ isAuthorized: true });
});

test('caches the values, but a value it does not know makes it look again (a rotation is seen at once)', async () => {
  const handler = load();
  await handler(withSecret(FIRST));
  await handler(withSecret(FIRST));
  expect(secrets.commandCalls(getSecretValue)).toHaveLength(2);

  // The rotation function made SECOND current and pointed CloudFront at it.
  stages = { AWSCURRENT: SECOND, AWSPREVIOUS: FIRST };
  now += REFRESH_ON_MISS_MS;
  await expect(handler(withSecret(SECOND))).resolves.toEqual({ isAuthorized: true });
  expect(secrets.commandCalls(getSecretValue)).toHaveLength(4);
});

test('a flood of wrong values cannot make it call Secrets Manager more than once per refresh interval', async () => {
  const handler = load();
  await handler(withSecret(FIRST));
  for (let i = 0; i < 20; i += 1) {
    await expect(handler(withSecret(`${'x'.repeat(47)}${i}`))).resolves.toEqual({ isAuthorized: false });
  }
  expect(secrets.commandCalls(getSecretValue)).toHaveLength(2);
});

test('will not start without the secret ARN, and will not trust a short secret', async () => {
  expect(() => load(null)).toThrow('ORIGIN_VERIFY_SECRET_ARN environment variable is not set');
  stages = { AWSCURRENT: 'short' };
  await expect(load()(withSecret('short'))).rejects.toThrow(/no current value of 32\+ characters/);
});
