// The authorizer that keeps the API reachable only through CloudFront.
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';

const SECRET = 'a'.repeat(20) + 'B'.repeat(28);

type Handler = (event: APIGatewayRequestAuthorizerEventV2) => Promise<{ isAuthorized: boolean }>;

function load(secret: string | undefined): Handler {
  const saved = process.env.ORIGIN_VERIFY_SECRET;
  if (secret === undefined) delete process.env.ORIGIN_VERIFY_SECRET;
  else process.env.ORIGIN_VERIFY_SECRET = secret;
  try {
    let handler: Handler | undefined;
    jest.isolateModules(() => {
      handler = require('../../lib/functions/origin-verify-authorizer').handler;
    });
    if (!handler) throw new Error('no handler');
    return handler;
  } finally {
    if (saved === undefined) delete process.env.ORIGIN_VERIFY_SECRET;
    else process.env.ORIGIN_VERIFY_SECRET = saved;
  }
}

const event = (headers: Record<string, string>) => ({ headers }) as unknown as APIGatewayRequestAuthorizerEventV2;

test('admits a request carrying the secret CloudFront adds', async () => {
  await expect(load(SECRET)(event({ 'x-origin-verify': SECRET }))).resolves.toEqual({ isAuthorized: true });
});

test('refuses a wrong, shorter, longer or missing value', async () => {
  const handler = load(SECRET);
  const cases: Record<string, string>[] = [
    { 'x-origin-verify': SECRET.replace('a', 'b') },
    { 'x-origin-verify': SECRET.slice(1) },
    { 'x-origin-verify': `${SECRET}x` },
    { 'x-origin-verify': '' },
    {},
  ];
  for (const headers of cases) {
    await expect(handler(event(headers))).resolves.toEqual({ isAuthorized: false });
  }
});

test('will not start without a secret worth the name', () => {
  expect(() => load(undefined)).toThrow('ORIGIN_VERIFY_SECRET environment variable is not set');
  expect(() => load('short')).toThrow('ORIGIN_VERIFY_SECRET');
});
