// What the browser tests share: the stack started by global-setup.ts, a Chromium context per test
// that records script errors and CSP violations, the local inbox, fresh accounts, and axe.

import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import AxeBuilder from '@axe-core/playwright';
import type { AxeResults } from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { hashToken, newTemporaryPassword } from '../../../lambdas/domain/secrets';
import { createUser } from '../../../local/bootstrap';
import type { InboxEmail } from '../../../local/local-stack';

export interface StackInfo {
  readonly url: string;
  readonly sesUrl: string;
  readonly dynamodb: string;
  readonly cognito: string;
  readonly tableName: string;
  readonly userPoolId: string;
  readonly demo: { readonly username: string; readonly email: string; readonly password: string };
}

export function stack(): StackInfo {
  const raw = process.env.E2E_STACK;
  if (!raw) throw new Error('E2E_STACK is not set: run through jest --selectProjects e2e (global setup starts it)');
  return JSON.parse(raw) as StackInfo;
}

export function connectBrowser(): Promise<Browser> {
  const endpoint = process.env.E2E_BROWSER;
  if (!endpoint) throw new Error('E2E_BROWSER is not set: run through jest (global setup launches Chromium)');
  return chromium.connect(endpoint);
}

/** Connects this test file to the suite's Chromium before its tests and disconnects after them. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await connectBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser connects in beforeAll: call this inside a test');
    return browser;
  };
}

export type Locale = 'en-GB' | 'it-IT';

export interface Session {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Script errors, failed requests to other hosts and CSP violations seen so far: must stay empty. */
  readonly problems: string[];
}

/** A fresh browser context (no cookies, no storage) in a language, as a new visitor. */
export async function visit(browser: Browser, locale: Locale = 'en-GB', colorScheme: 'light' | 'dark' = 'light') {
  const context = await browser.newContext({
    locale,
    colorScheme,
    baseURL: stack().url,
    viewport: { width: 412, height: 823 },
  });
  const problems: string[] = [];
  context.on('weberror', (error) => problems.push(`script error: ${error.error().message}`));
  context.on('console', (message) => {
    // An API answering 4xx is part of the journey (wrong password, spent link); anything else is not.
    const expected = /^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text());
    if (message.type() === 'error' && !expected) problems.push(`console: ${message.text()}`);
  });
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (!['about:', 'data:'].includes(url.protocol) && url.origin !== stack().url) {
      problems.push(`third-party request: ${request.url()}`);
    }
  });
  const page = await context.newPage();
  return { context, page, problems } satisfies Session;
}

const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * axe with the WCAG 2.0-2.2 A and AA rules, and for pages also axe's best practices (landmarks, one
 * h1): no violation allowed. Emails get the WCAG rules only: mail clients drop landmarks anyway.
 */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  const isEmail = page.url() === 'about:blank';
  const tags = isEmail ? WCAG_AA : [...WCAG_AA, 'best-practice'];
  const started = Date.now();
  // A document that @axe-core/playwright already injected axe into is checked again with that same
  // axe (a new state of the same page): injecting half a megabyte per state doubles the suite's time.
  const injected = await page.evaluate(() => typeof (window as { axe?: { run?: unknown } }).axe?.run === 'function');
  const results = injected
    ? await page.evaluate(
        (values) =>
          (window as unknown as { axe: { run(context: Document, options: unknown): Promise<AxeResults> } }).axe.run(
            document,
            { runOnly: { type: 'tag', values }, resultTypes: ['violations'] },
          ),
        tags,
      )
    : // Legacy mode runs axe.run() in the page itself; the default opens a blank page per run to
      // merge frame results, which this site (no iframes) does not need.
      await new AxeBuilder({ page })
        .setLegacyMode(true)
        .options({ runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
        .analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  if (process.env.E2E_TIMING) console.log(`axe ${state}: ${Date.now() - started} ms`);
  if (found.length > 0) throw new Error(`axe found ${found.length} violation(s) on ${state}:\n  ${found.join('\n  ')}`);
  expect(results.passes.length).toBeGreaterThan(10);
}

/** The id (or text) of the focused element, to check where the keyboard is. */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return '(body)';
    return element.id || `${element.tagName.toLowerCase()}:${(element.textContent ?? '').trim()}`;
  });
}

async function inbox(): Promise<InboxEmail[]> {
  return (await (await fetch(`${stack().url}/_local/inbox`)).json()) as InboxEmail[];
}

async function queueIdle(): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const stats = (await (await fetch(`${stack().url}/_local/queue`)).json()) as { inFlight: number };
    if (stats.inFlight === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the local queue did not drain in time');
}

/** Emails to one address, oldest first. */
export async function emailsTo(to: string): Promise<InboxEmail[]> {
  return (await inbox()).filter((email) => email.to === to).reverse();
}

/** Waits for the `count`-th email to `to` and returns it. */
export async function nthEmail(to: string, count: number): Promise<InboxEmail> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await queueIdle();
    const emails = await emailsTo(to);
    const email = emails[count - 1];
    if (email) return email;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`email number ${count} to ${to} did not arrive`);
}

/**
 * Opens an email's HTML as a mail client would: in a fresh about:blank page, not on the site's
 * origin (whose CSP forbids the email's inline styles). Links in it then navigate that page.
 */
export async function openEmail(context: BrowserContext, email: InboxEmail): Promise<Page> {
  const page = await context.newPage();
  await page.setContent(email.html, { waitUntil: 'load' });
  return page;
}

export function tokenIn(email: InboxEmail): string {
  const token = /#token=([A-Za-z0-9_-]{43})/.exec(email.text)?.[1];
  if (!token) throw new Error(`no reset link in: ${email.text}`);
  return token;
}

/** The temporary password: the one line indented by four spaces in the text part, in any language. */
export function temporaryPasswordIn(email: InboxEmail): string {
  const password = /^ {4}(\S+)$/m.exec(email.text)?.[1];
  if (!password) throw new Error(`no password in: ${email.text}`);
  return password;
}

let userCount = 0;

/** A fresh account for one test: the demo user is shared, and a reset changes an account's state. */
export async function newUser(prefix: string): Promise<{ username: string; email: string; password: string }> {
  userCount++;
  const username = `${prefix}-${process.pid}-${userCount}`;
  const user = { username, email: `${username}@example.com`, password: newTemporaryPassword() };
  const cognito = new CognitoIdentityProviderClient({
    endpoint: stack().cognito,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  await createUser(cognito, stack().userPoolId, user);
  cognito.destroy();
  return user;
}

/** Moves a link's expiry into the past, as 30 minutes passing would. */
export async function expireToken(token: string): Promise<void> {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack().dynamodb,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    }),
  );
  await db.send(
    new UpdateCommand({
      TableName: stack().tableName,
      Key: { pk: `TOKEN#${hashToken(token)}`, sk: 'TOKEN' },
      UpdateExpression: 'SET expiresAt = :past',
      ExpressionAttributeValues: { ':past': Date.now() - 1000 },
    }),
  );
  db.destroy();
}

/** Asks for a reset link over the API (for tests whose subject is what comes after). */
export async function requestLink(login: string, language: 'en' | 'it' = 'en'): Promise<void> {
  const response = await fetch(`${stack().url}/api/password-reset`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: stack().url },
    body: JSON.stringify({ login, language }),
  });
  if (response.status !== 202) throw new Error(`password-reset answered ${response.status}`);
}
