// Passkeys in a browser, in both languages, with Chromium's virtual authenticators (CDP WebAuthn
// domain): add two on the account page (named, listed, each confirmed by email), sign in with one
// instead of the password (the button, while the username field's autofill request waits), use
// one as the second step after the password, cancel a ceremony, remove one, and meet the recent
// sign-in rule; axe on every new state.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { passkeyRules } from '../../lambdas/definitions/passkeys';
import { securityChangeText } from '../../lambdas/definitions/second-factors';
import { totpCode } from '../../lambdas/domain/second-factors';
import { hashToken } from '../../lambdas/domain/secrets';
import { cookieNames } from '../../lambdas/http/responses';
import { catalogue, format } from '../../static-site/src/messages';
import { expectAccessible, focused, type Locale, newUser, nthEmail, stack, useBrowser, visit } from './support/helpers';
import { addPlatformAuthenticator, virtualAuthenticators } from './support/webauthn';

jest.setTimeout(120_000);

const browser = useBrowser();

const cases: [Locale, 'en' | 'it'][] = [
  ['en-GB', 'en'],
  ['it-IT', 'it'],
];

async function credentialsOf(cdp: CDPSession, authenticatorId: string) {
  return (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
}

interface WebAuthnRequest {
  readonly mediation: string;
  /** 'pending', 'answered', 'aborted while waiting', or the error the browser gave. */
  readonly outcome: string;
}

/**
 * Records each page's WebAuthn requests and what became of them (the autofill request is invisible
 * otherwise): one list per page load, kept in this tab's sessionStorage so a page that has been
 * left can still be read.
 */
async function recordWebAuthnRequests(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const KEY = 'webauthn-requests';
    const pages = JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as { mediation: string; outcome: string }[][];
    const calls: { mediation: string; outcome: string }[] = [];
    pages.push(calls);
    const save = () => sessionStorage.setItem(KEY, JSON.stringify(pages));
    save();
    const get = navigator.credentials.get.bind(navigator.credentials);
    navigator.credentials.get = (options?: CredentialRequestOptions) => {
      const call = { mediation: String(options?.mediation ?? 'optional'), outcome: 'pending' };
      calls.push(call);
      save();
      const settle = (outcome: string) => {
        if (call.outcome === 'pending') call.outcome = outcome;
        save();
      };
      options?.signal?.addEventListener('abort', () => settle('aborted while waiting'));
      const answer = get(options);
      answer.then(
        () => settle('answered'),
        (error: Error) => settle(error.name),
      );
      return answer;
    };
  });
}

/**
 * Waits until the page has made `count` WebAuthn requests, asking from here: under Playwright's
 * fake clock the page's timers and animation frames (which waitForFunction polls with) stand still.
 */
async function requestsMade(page: Page, count: number): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if ((await webAuthnRequests(page)).length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the page did not make ${count} WebAuthn requests`);
}

/** The WebAuthn requests of the current page load, or of the one `back` loads before it. */
function webAuthnRequests(page: Page, back = 0): Promise<WebAuthnRequest[]> {
  return page.evaluate((back) => {
    const pages = JSON.parse(sessionStorage.getItem('webauthn-requests') ?? '[]') as WebAuthnRequest[][];
    return pages[pages.length - 1 - back] ?? [];
  }, back);
}

/** Moves this browser's session's sign-in back in time, as minutes passing would. */
async function ageSignIn(context: BrowserContext, minutes: number): Promise<void> {
  const cookie = (await context.cookies()).find((c) => c.name === cookieNames.session);
  if (!cookie) throw new Error('no session cookie in this browser');
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
      Key: { pk: `SESSION#${hashToken(cookie.value)}`, sk: 'SESSION' },
      UpdateExpression: 'SET createdAt = createdAt - :by',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':by': minutes * 60_000 },
    }),
  );
  db.destroy();
}

describe.each(cases)('passkeys in %s', (locale, lang) => {
  const t = { ...catalogue[lang].page, ...catalogue[lang].script };
  const notice = (change: 'passkey_added' | 'passkey_removed', name: string) =>
    format(securityChangeText[change][lang], { name });

  it('are added on the account page, then sign in instead of the password or after it, and are removed', async () => {
    const user = await newUser(`passkey-${lang}`);
    const { context, page, problems } = await visit(browser(), locale);
    await recordWebAuthnRequests(context);
    const cdp = await virtualAuthenticators(context, page);
    const laptop = await addPlatformAuthenticator(cdp);
    const signInWithPassword = async () => {
      await page.goto('/');
      await page.locator('#username').fill(user.username);
      await page.locator('#password').fill(user.password);
      await page.getByRole('button', { name: t['login.submit'], exact: true }).click();
    };
    const signOut = async () => {
      await page.goto('/signed-in');
      await page.getByRole('button', { name: t['signedIn.signOut'] }).click();
      await page.waitForURL('**/?signed-out');
    };
    const passkeyItems = page.locator('#passkeys > li');

    // The login page offers passkeys: in the username field's suggestions and with a button.
    await page.goto('/');
    await expect(page.locator('#username').getAttribute('autocomplete')).resolves.toBe('username webauthn');
    await page.getByRole('button', { name: t['login.passkey'] }).waitFor();
    await expectAccessible(page, `login with the passkey button (${lang})`);

    // Signed in with the password: the account page has no passkey yet, and names a new one.
    await signInWithPassword();
    await page.waitForURL('**/signed-in');
    await page.getByRole('link', { name: t['signedIn.account'] }).click();
    await page.waitForURL('**/account');
    await page.locator('#passkeys-status', { hasText: t['account.passkeys.none'] }).waitFor();
    const name = page.getByLabel(t['account.passkeys.name']);
    await expect(name.inputValue()).resolves.toBe(
      format(t['account.passkeys.defaultName'], { browser: 'Chrome', platform: 'Linux' }),
    );
    await expectAccessible(page, `account, no passkey (${lang})`);

    // An empty name is refused by the page, before any ceremony.
    await name.fill(' ');
    await page.getByRole('button', { name: t['account.passkeys.add'] }).click();
    await page.locator('#passkey-name-error', { hasText: t['account.passkeys.needName'] }).waitFor();
    await expect(credentialsOf(cdp, laptop)).resolves.toHaveLength(0);

    await name.fill('Laptop');
    await page.getByRole('button', { name: t['account.passkeys.add'] }).click();
    await page.locator('#notice', { hasText: format(t['account.passkeys.addedNotice'], { name: 'Laptop' }) }).waitFor();
    await expect(focused(page)).resolves.toBe('notice');
    await expect(passkeyItems.count()).resolves.toBe(1);
    await expect(passkeyItems.first().textContent()).resolves.toContain('Laptop');
    await expect(passkeyItems.first().textContent()).resolves.toContain(t['account.passkeys.neverUsed']);
    await expect(passkeyItems.first().textContent()).resolves.toContain(t['account.passkeys.deviceOnly']);
    await expect(credentialsOf(cdp, laptop)).resolves.toHaveLength(1);
    await expect(page.locator('#totp-status').textContent()).resolves.toBe(t['account.totp.offPasskeys']);
    await expectAccessible(page, `account, one passkey (${lang})`);
    expect((await nthEmail(user.email, 1)).text).toContain(notice('passkey_added', 'Laptop'));

    // The laptop leaves; a phone (another authenticator) gets the second passkey.
    const laptopCredentials = await credentialsOf(cdp, laptop);
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: laptop });
    const phone = await addPlatformAuthenticator(cdp);
    await name.fill('Phone');
    await page.getByRole('button', { name: t['account.passkeys.add'] }).click();
    await page.locator('#notice', { hasText: format(t['account.passkeys.addedNotice'], { name: 'Phone' }) }).waitFor();
    // Newest first.
    await expect(passkeyItems.locator('strong').allTextContents()).resolves.toEqual(['Phone', 'Laptop']);
    expect((await nthEmail(user.email, 2)).text).toContain(notice('passkey_added', 'Phone'));

    // Signed out, the phone signs in without a password through autofill: the login page's
    // conditional request is answered by the browser (a virtual authenticator answers it at once,
    // as a person choosing the passkey among the username field's suggestions would).
    await signOut();
    await page.waitForURL('**/signed-in');
    await page.locator('#who', { hasText: format(t['signedIn.as'], { username: user.username }) }).waitFor();
    await page.getByRole('link', { name: t['signedIn.account'] }).click();
    await page.locator('#passkeys > li', { hasText: 'Phone' }).waitFor();
    await expect(passkeyItems.first().textContent()).resolves.not.toContain(t['account.passkeys.neverUsed']);
    await expect(passkeyItems.nth(1).textContent()).resolves.toContain(t['account.passkeys.neverUsed']);

    // A cancelled ceremony (the person does not verify) says so calmly, not as an error.
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId: phone, isUserVerified: false });
    await signOut();
    await requestsMade(page, 1);
    await page.getByRole('button', { name: t['login.passkey'] }).click();
    await page.locator('#notice', { hasText: t['login.passkeyCancelled'] }).waitFor();
    await expect(page.locator('#form-error').isHidden()).resolves.toBe(true);
    const modal = (await webAuthnRequests(page)).filter((request) => request.mediation !== 'conditional');
    expect(modal).toEqual([{ mediation: 'optional', outcome: 'NotAllowedError' }]);
    await expectAccessible(page, `login, passkey cancelled (${lang})`);
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId: phone, isUserVerified: true });

    // The button works while an autofill request waits (here: for a touch that does not come), and
    // aborts that request first.
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: phone, enabled: false });
    await page.reload();
    await requestsMade(page, 1);
    await expect(webAuthnRequests(page)).resolves.toEqual([{ mediation: 'conditional', outcome: 'pending' }]);
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: phone, enabled: true });
    await page.getByRole('button', { name: t['login.passkey'] }).click();
    await page.waitForURL('**/signed-in');
    await page.locator('#who', { hasText: format(t['signedIn.as'], { username: user.username }) }).waitFor();
    // The login page's requests (the page before this one).
    await expect(webAuthnRequests(page, 1)).resolves.toEqual([
      { mediation: 'conditional', outcome: 'aborted while waiting' },
      { mediation: 'optional', outcome: 'answered' },
    ]);

    // With the password, the account's passkey is the second step; the laptop's passkey does it.
    // (No authenticator while the login page is open, or its autofill would sign in first.)
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: phone });
    await signOut();
    await signInWithPassword();
    await page.waitForURL('**/second-step');
    await page.getByRole('heading', { level: 1, name: t['secondStep.passkeyHeading'] }).waitFor();
    // No authenticator app on this account: no code form, no recovery code to fall back on.
    await expect(page.locator('#verify-form').isHidden()).resolves.toBe(true);
    await expect(page.locator('#passkey-or').isVisible()).resolves.toBe(false);
    await expectAccessible(page, `second step, passkey (${lang})`);
    const laptopAgain = await addPlatformAuthenticator(cdp);
    for (const credential of laptopCredentials) {
      await cdp.send('WebAuthn.addCredential', { authenticatorId: laptopAgain, credential });
    }
    await page.getByRole('button', { name: t['secondStep.passkey.use'] }).click();
    await page.waitForURL('**/signed-in');

    // Remove the phone's passkey: a confirm step first, then the list and an email say so.
    await page.getByRole('link', { name: t['signedIn.account'] }).click();
    await page.locator('#passkeys > li', { hasText: 'Phone' }).waitFor();
    await page.getByRole('button', { name: format(t['account.passkeys.removeLabel'], { name: 'Phone' }) }).click();
    await page.getByText(format(t['account.passkeys.confirm'], { name: 'Phone' })).waitFor();
    await expectAccessible(page, `account, confirm removal (${lang})`);
    // "Keep it" changes nothing.
    await page.getByRole('button', { name: t['account.passkeys.confirmNo'] }).click();
    await expect(focused(page)).resolves.toBe(`button:${t['account.passkeys.remove']}`);
    await page.getByRole('button', { name: format(t['account.passkeys.removeLabel'], { name: 'Phone' }) }).click();
    await page.getByRole('button', { name: t['account.passkeys.confirmYes'] }).click();
    await page.locator('#notice', { hasText: format(t['account.passkeys.removed'], { name: 'Phone' }) }).waitFor();
    await expect(passkeyItems.locator('strong').allTextContents()).resolves.toEqual(['Laptop']);
    await expectAccessible(page, `account, passkey removed (${lang})`);
    expect((await nthEmail(user.email, 3)).text).toContain(notice('passkey_removed', 'Phone'));

    // Ten minutes after signing in, changes need a fresh sign-in: the page says so and offers it.
    await ageSignIn(context, passkeyRules.recentSignInMinutes + 1);
    await page.getByRole('button', { name: format(t['account.passkeys.removeLabel'], { name: 'Laptop' }) }).click();
    await page.getByRole('button', { name: t['account.passkeys.confirmYes'] }).click();
    await page.locator('#passkey-reauth-text', { hasText: t['error.reauthentication_required'] }).waitFor();
    await expect(page.locator('#passkey-form').isHidden()).resolves.toBe(true);
    await expect(passkeyItems.count()).resolves.toBe(1);
    await expectAccessible(page, `account, sign in again (${lang})`);
    await page.reload();
    await page.locator('#passkey-reauth-text', { hasText: t['error.reauthentication_required'] }).waitFor();
    // The login page's autofill would sign straight in with the laptop's passkey.
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: laptopAgain });
    await page.getByRole('button', { name: t['account.passkeys.signInAgain'] }).click();
    await page.waitForURL('**/?reauthenticate');
    await page.locator('#notice', { hasText: t['login.reauthenticate'] }).waitFor();
    await expectAccessible(page, `login, sign in again (${lang})`);

    expect(problems).toEqual([]);
    await context.close();
  });
  it('come first in the second step of an account that also has an authenticator app, whose code still works', async () => {
    const user = await newUser(`passkey-totp-${lang}`);
    const { context, page, problems } = await visit(browser(), locale);
    const cdp = await virtualAuthenticators(context, page);
    const signInWithPassword = async () => {
      await page.goto('/');
      await page.locator('#username').fill(user.username);
      await page.locator('#password').fill(user.password);
      await page.getByRole('button', { name: t['login.submit'], exact: true }).click();
    };
    await signInWithPassword();
    await page.waitForURL('**/signed-in');
    await page.goto('/account');

    // An authenticator app first, then a passkey.
    await page.getByRole('button', { name: t['account.totp.start'] }).click();
    await page.locator('.secret').waitFor();
    const secret = ((await page.locator('.secret').textContent()) ?? '').replace(/\s/g, '');
    await page.getByLabel(t['setup.codeLabel']).fill(totpCode(secret, Date.now()));
    await page.getByRole('button', { name: t['setup.confirm'] }).click();
    await page.locator('#totp-status', { hasText: t['account.totp.on'] }).waitFor();
    const authenticator = await addPlatformAuthenticator(cdp);
    await page.getByLabel(t['account.passkeys.name']).fill('Desk');
    await page.getByRole('button', { name: t['account.passkeys.add'] }).click();
    await page.locator('#passkeys > li', { hasText: 'Desk' }).waitFor();

    // The password leads to the second step: the passkey first, the app's code below it.
    await page.goto('/signed-in');
    await page.getByRole('button', { name: t['signedIn.signOut'] }).click();
    await page.waitForURL('**/?signed-out');
    // The person cannot verify on this device now (so the login page's autofill cannot answer either).
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId: authenticator, isUserVerified: false });
    await signInWithPassword();
    await page.waitForURL('**/second-step');
    await page.getByRole('heading', { level: 1, name: t['secondStep.passkeyHeading'] }).waitFor();
    await page.getByRole('button', { name: t['secondStep.passkey.use'] }).waitFor();
    await expect(page.locator('#verify-lead').textContent()).resolves.toBe(t['secondStep.codeLeadOr']);
    await expect(page.getByLabel(t['secondStep.code']).isVisible()).resolves.toBe(true);
    await expect(page.locator('#passkey-or').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: t['secondStep.useRecovery'] }).isVisible()).resolves.toBe(true);
    await expectAccessible(page, `second step, passkey and code (${lang})`);

    await page.getByRole('button', { name: t['secondStep.passkey.use'] }).click();
    await page.locator('#notice', { hasText: t['secondStep.passkeyCancelled'] }).waitFor();
    await expect(page.locator('#form-error').isHidden()).resolves.toBe(true);
    await expectAccessible(page, `second step, passkey cancelled (${lang})`);

    // The app's code still does it (the next step's code: the set-up spent the current one).
    await page.getByLabel(t['secondStep.code']).fill(totpCode(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: t['secondStep.submit'] }).click();
    await page.waitForURL('**/signed-in');

    expect(problems).toEqual([]);
    await context.close();
  });
  it('are not offered by a browser without WebAuthn, and the password still signs in', async () => {
    const user = await newUser(`passkey-none-${lang}`);
    const { context, page, problems } = await visit(browser(), locale);
    await context.addInitScript(() => {
      // As in a browser that has no WebAuthn at all.
      delete (window as { PublicKeyCredential?: unknown }).PublicKeyCredential;
    });
    await page.goto('/');
    await page.locator('#username').fill(user.username);
    await expect(page.locator('#passkey-area').isHidden()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: t['login.passkey'] }).count()).resolves.toBe(0);
    await page.locator('#password').fill(user.password);
    await page.getByRole('button', { name: t['login.submit'], exact: true }).click();
    await page.waitForURL('**/signed-in');
    await page.goto('/account');
    await page.locator('#passkeys-status', { hasText: t['account.passkeys.unsupported'] }).waitFor();
    await expect(page.locator('#passkey-form').isHidden()).resolves.toBe(true);
    await expectAccessible(page, `account, no WebAuthn (${lang})`);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe("the login page's autofill request", () => {
  const t = { ...catalogue.en.page, ...catalogue.en.script };

  it('is renewed before the server forgets its challenge', async () => {
    const user = await newUser('passkey-renew');
    const { context, page, problems } = await visit(browser(), 'en-GB');
    await recordWebAuthnRequests(context);
    const cdp = await virtualAuthenticators(context, page);
    await page.goto('/');
    await page.locator('#username').fill(user.username);
    await page.locator('#password').fill(user.password);
    await page.getByRole('button', { name: t['login.submit'], exact: true }).click();
    await page.waitForURL('**/signed-in');
    await page.goto('/account');
    const authenticatorId = await addPlatformAuthenticator(cdp);
    await page.getByRole('button', { name: t['account.passkeys.add'] }).click();
    await page.locator('#passkeys > li').waitFor();
    await page.goto('/signed-in');
    await page.getByRole('button', { name: t['signedIn.signOut'] }).click();
    await page.waitForURL('**/?signed-out');
    // The person does not choose the passkey (no touch comes): the autofill request waits.
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
    // The page's clock is Playwright's from here: minutes pass at once, and nothing waits for them.
    await page.clock.install();
    await page.goto('/');
    await requestsMade(page, 1);
    await page.clock.fastForward((passkeyRules.challengeSeconds - 60) * 1000 + 1000);
    await requestsMade(page, 2);
    await expect(webAuthnRequests(page)).resolves.toEqual([
      { mediation: 'conditional', outcome: 'aborted while waiting' },
      { mediation: 'conditional', outcome: 'pending' },
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('a passkey sign-in for a tool', () => {
  const t = { ...catalogue.en.page, ...catalogue.en.script };
  const demoToolUrl = () => (stack() as unknown as { demoTool: string }).demoTool;

  it('continues the OpenID hand-off as a password sign-in does', async () => {
    const user = await newUser('passkey-tool');
    const { context, page, problems } = await visit(browser(), 'en-GB');
    const cdp = await virtualAuthenticators(context, page);
    await page.goto('/');
    await page.locator('#username').fill(user.username);
    await page.locator('#password').fill(user.password);
    await page.getByRole('button', { name: t['login.submit'], exact: true }).click();
    await page.waitForURL('**/signed-in');
    await page.goto('/account');
    await page.getByLabel(t['account.passkeys.name']).fill('Laptop');
    // The authenticator arrives only now: the login page's autofill found none to answer it.
    await addPlatformAuthenticator(cdp);
    await page.getByRole('button', { name: t['account.passkeys.add'] }).click();
    await page.locator('#passkeys > li', { hasText: 'Laptop' }).waitFor();
    await page.goto('/signed-in');
    await page.getByRole('button', { name: t['signedIn.signOut'] }).click();
    await page.waitForURL('**/?signed-out');
    // Checked here: the demo tool's own pages log a CSP refusal of their data: icon (not ours).
    expect(problems).toEqual([]);

    // The tool sends the browser to our login page; the passkey (through autofill) signs in, and
    // the browser is back in the tool, signed in as the passkey's owner.
    await page.goto(`${demoToolUrl()}/`);
    await page.getByRole('link', { name: 'Sign in with Support Access' }).click();
    await page.waitForURL((url) => url.origin === demoToolUrl() && url.pathname === '/');
    await expect(page.locator('dl').textContent()).resolves.toContain(user.email);
    await context.close();
  });
});
