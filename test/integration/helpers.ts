// Talking to the local stack started by global-setup.ts, as a browser or a script would.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { hashToken, newTemporaryPassword } from '../../lambdas/domain/secrets';
import { createUser } from '../../local/bootstrap';
import type { InboxEmail } from '../../local/local-stack';

export const baseUrl = (): string => {
  const url = process.env.SUPPORT_ACCESS_URL;
  if (!url) throw new Error('SUPPORT_ACCESS_URL is not set: run through jest (global setup starts the stack)');
  return url;
};

export const demoUser = (): { username: string; email: string; password: string } =>
  JSON.parse(process.env.SUPPORT_ACCESS_DEMO ?? '{}');

/**
 * A random loopback address (127.x.y.z) for each browser: the whole 127/8 reaches this machine,
 * so every test client is its own "source IP" for the per-IP rate limits, across test files too.
 */
export function newLoopbackAddress(): string {
  const [a = 1, b = 0, c = 1] = randomBytes(3);
  return `127.${(a % 254) + 1}.${b}.${(c % 254) + 1}`;
}

export interface CallResult {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

/** A cookie jar and a source address: one "browser". */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(readonly address: string = newLoopbackAddress()) {}

  call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<CallResult> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const payload =
      body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const url = new URL(path, baseUrl());
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method,
          localAddress: this.address,
          headers: {
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
            ...(cookie ? { cookie } : {}),
            origin: baseUrl(),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            for (const setCookie of res.headers['set-cookie'] ?? []) {
              const [pair = ''] = setCookie.split(';');
              const eq = pair.indexOf('=');
              const name = pair.slice(0, eq);
              const value = pair.slice(eq + 1);
              if (value === '' || /Max-Age=0/.test(setCookie)) this.cookies.delete(name);
              else this.cookies.set(name, value);
            }
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode ?? 0,
              body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
              headers: res.headers,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
}

export async function inbox(): Promise<InboxEmail[]> {
  const response = await fetch(`${baseUrl()}/_local/inbox`);
  return (await response.json()) as InboxEmail[];
}

/** Waits until the queue has delivered everything (so "no email" really means none will come). */
export async function queueIdle(timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const stats = (await (await fetch(`${baseUrl()}/_local/queue`)).json()) as { inFlight: number };
    if (stats.inFlight === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the local queue did not drain in time');
}

/** The newest email to `to` whose subject contains `subject`, after `since` emails had arrived. */
export async function waitForEmail(to: string, subject: string, after: number): Promise<InboxEmail> {
  await queueIdle();
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const emails = await inbox();
    const fresh = emails.slice(0, Math.max(0, emails.length - after));
    const found = fresh.find((e) => e.to === to && e.subject.includes(subject));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no email "${subject}" to ${to}`);
}

export function tokenIn(email: InboxEmail): string {
  const token = /#token=([A-Za-z0-9_-]{43})/.exec(email.text)?.[1];
  if (!token) throw new Error(`no reset link in: ${email.text}`);
  return token;
}

export function temporaryPasswordIn(email: InboxEmail): string {
  const password = /new temporary password:\s+(\S+)/.exec(email.text)?.[1];
  if (!password) throw new Error(`no password in: ${email.text}`);
  return password;
}

/** Moves a token's expiry into the past, as 30 minutes passing would. */
export async function expireToken(token: string): Promise<void> {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: process.env.SUPPORT_ACCESS_DYNAMODB,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  await db.send(
    new UpdateCommand({
      TableName: process.env.SUPPORT_ACCESS_TABLE,
      Key: { pk: `TOKEN#${hashToken(token)}`, sk: 'TOKEN' },
      UpdateExpression: 'SET expiresAt = :past',
      ExpressionAttributeValues: { ':past': Date.now() - 1000 },
    }),
  );
  db.destroy();
}

/** A fresh account for one test, so per-account limits and state never leak between tests. */
export async function newUser(prefix = 'user'): Promise<{ username: string; email: string; password: string }> {
  const username = `${prefix}-${randomBytes(5).toString('hex')}`;
  const user = { username, email: `${username}@example.com`, password: newTemporaryPassword() };
  const cognito = new CognitoIdentityProviderClient({
    endpoint: process.env.SUPPORT_ACCESS_COGNITO,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await createUser(cognito, String(process.env.SUPPORT_ACCESS_USER_POOL), user);
  cognito.destroy();
  return user;
}

export interface Fault {
  service: 'dynamodb' | 'cognito' | 'ses' | 'sqs';
  kind: 'error' | 'throttle';
  times: number;
  match?: string[];
}

/** Makes the next `times` matching calls from the handlers to a service fail. */
export async function injectFault(fault: Fault): Promise<void> {
  const response = await fetch(`${baseUrl()}/_local/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!response.ok) throw new Error(`fault not injected: ${await response.text()}`);
}

export async function clearFaults(): Promise<void> {
  await fetch(`${baseUrl()}/_local/faults`, { method: 'DELETE' });
}

export async function queueStats(): Promise<{
  inFlight: number;
  delivered: number;
  retried: number;
  deadLetters: string[];
}> {
  return (await (await fetch(`${baseUrl()}/_local/queue`)).json()) as {
    inFlight: number;
    delivered: number;
    retried: number;
    deadLetters: string[];
  };
}

function localDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: process.env.SUPPORT_ACCESS_DYNAMODB,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
}

/** Every item of the table except rate counters (which count every request by design). */
export async function tableSnapshot(): Promise<string[]> {
  const db = localDocumentClient();
  const items: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: process.env.SUPPORT_ACCESS_TABLE,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) if (!String(item.pk).startsWith('RATE#')) items.push(JSON.stringify(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  db.destroy();
  return items.sort();
}

/** Moves the expiry of a user's emailed temporary password into the past. */
export async function expireTemporaryPassword(username: string): Promise<void> {
  const db = localDocumentClient();
  await db.send(
    new UpdateCommand({
      TableName: process.env.SUPPORT_ACCESS_TABLE,
      Key: { pk: `TEMP#${username}`, sk: 'TEMP' },
      UpdateExpression: 'SET expiresAt = :past',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':past': Date.now() - 1000 },
    }),
  );
  db.destroy();
}

/** Asks for a link as `user` and returns its token. */
export async function resetLinkFor(user: { username: string; email: string }): Promise<string> {
  const before = (await inbox()).length;
  const response = await new Browser().call('POST', '/api/password-reset', { login: user.username });
  if (response.status !== 202) throw new Error(`reset request answered ${response.status}`);
  return tokenIn(await waitForEmail(user.email, 'reset your password', before));
}

/** Moves a session's sign-in (createdAt) and last use (lastSeenAt) back in time, as waiting would. */
export async function ageSession(cookieValue: string, by: { signedInMs?: number; idleMs?: number }): Promise<void> {
  const db = localDocumentClient();
  const now = Date.now();
  await db.send(
    new UpdateCommand({
      TableName: process.env.SUPPORT_ACCESS_TABLE,
      Key: { pk: `SESSION#${hashToken(cookieValue)}`, sk: 'SESSION' },
      UpdateExpression: 'SET createdAt = :created, lastSeenAt = :seen',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':created': now - (by.signedInMs ?? 0), ':seen': now - (by.idleMs ?? 0) },
    }),
  );
  db.destroy();
}
