// Talking to the local stack started by global-setup.ts, as a browser or a script would.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { hashToken } from '../../lambdas/domain/secrets';
import type { InboxEmail } from '../../lib/local/local-stack';

export const baseUrl = (): string => {
  const url = process.env.SUPPORT_ACCESS_URL;
  if (!url) throw new Error('SUPPORT_ACCESS_URL is not set: run through jest (global setup starts the stack)');
  return url;
};

export const demoUser = (): { username: string; email: string; password: string } =>
  JSON.parse(process.env.SUPPORT_ACCESS_DEMO ?? '{}');

/** A cookie jar for one "browser". */
export class Browser {
  readonly cookies = new Map<string, string>();

  async call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(cookie ? { cookie } : {}),
        origin: baseUrl(),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair = ''] = setCookie.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /Max-Age=0/.test(setCookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      headers: response.headers,
    };
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
