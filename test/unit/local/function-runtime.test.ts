// The local "Lambda": each function in its own worker with its own environment and credentials,
// its errors reported as function errors, a module that cannot start refused at start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callerOf, FunctionError, LocalFunction } from '../../../local/function-runtime';

let dir: string;
const running: LocalFunction[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'function-runtime-'));
  // What the handler sees: its credentials, one setting, and whether a global leaked in from another function.
  writeFileSync(
    join(dir, 'echo.mjs'),
    `globalThis.touched = (globalThis.touched ?? 0) + 1;
export const handler = async (event, context) => ({
  key: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY,
  colour: process.env.COLOUR, touched: globalThis.touched, event, functionName: context.functionName,
  requestId: context.awsRequestId,
});`,
  );
  writeFileSync(join(dir, 'fails.mjs'), `export const handler = async () => { throw new Error('table is gone'); };`);
  writeFileSync(join(dir, 'broken.mjs'), `throw new Error('TABLE_NAME environment variable is not set');`);
});

afterAll(async () => {
  await Promise.all(running.map((fn) => fn.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function started(name: string, file: string, env: Record<string, string> = {}): Promise<LocalFunction> {
  const fn = new LocalFunction(name, join(dir, file), env);
  running.push(fn);
  await fn.start();
  return fn;
}

test('each function runs with its own credentials and environment, isolated from the others', async () => {
  const create = await started('session-create', 'echo.mjs', { COLOUR: 'red' });
  const worker = await started('password-reset-worker', 'echo.mjs', { COLOUR: 'blue' });
  const [a, b] = await Promise.all([
    create.invoke<Record<string, unknown>>({ n: 1 }, { awsRequestId: 'r1' }),
    worker.invoke<Record<string, unknown>>({ n: 2 }, { awsRequestId: 'r2' }),
  ]);
  expect(a).toEqual({
    key: 'session-create',
    secret: 'local',
    colour: 'red',
    touched: 1,
    event: { n: 1 },
    functionName: 'session-create',
    requestId: 'r1',
  });
  expect(b).toMatchObject({ key: 'password-reset-worker', secret: 'local', colour: 'blue', touched: 1 });
});

test('a handler that throws fails the invocation with a FunctionError naming the function', async () => {
  const fn = await started('credential-request', 'fails.mjs');
  await expect(fn.invoke({}, { awsRequestId: 'r' })).rejects.toThrow(
    new FunctionError('credential-request', 'table is gone'),
  );
});

test('a module that fails at init is refused at start, with its message', async () => {
  const fn = new LocalFunction('session-get', join(dir, 'broken.mjs'), {});
  running.push(fn);
  await expect(fn.start()).rejects.toThrow(/session-get: could not start: TABLE_NAME environment variable is not set/);
});

test('a SigV4 Authorization header names the calling function', () => {
  const header =
    'AWS4-HMAC-SHA256 Credential=session-create/20261202/eu-west-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';
  expect(callerOf(header)).toBe('session-create');
  expect(callerOf(undefined)).toBeUndefined();
  expect(callerOf('Bearer x')).toBeUndefined();
});
