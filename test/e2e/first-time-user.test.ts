// Issue 11: what a first-time user tripped over, tried again in Chromium, in both languages, with
// axe on every new state, on a 360x640 phone and by keyboard where it matters. Also issue 10 item 8:
// the reset page forgets a spent link's token and follows a new link pasted into the same tab.
import {
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Page, Request } from 'playwright-core';
import { lifetimeDefaults } from '../../lambdas/definitions/lifetimes';
import { applicableRules } from '../../lambdas/definitions/password-policy';
import { rateLimitDefaults } from '../../lambdas/definitions/rate-limits';
import { apiRoutes } from '../../lambdas/definitions/routes';
import { newTemporaryPassword } from '../../lambdas/domain/secrets';
import { createUser } from '../../local/bootstrap';
import { catalogue, format } from '../../static-site/src/messages';
import {
  expectAccessible,
  focused,
  type Locale,
  nthEmail,
  requestLink,
  stack,
  temporaryPasswordIn,
  tokenIn,
  useBrowser,
  visit,
} from './support/helpers';

jest.setTimeout(90_000);

const browser = useBrowser();

const cases: [Locale, 'en' | 'it'][] = [
  ['en-GB', 'en'],
  ['it-IT', 'it'],
];

const PHONE = { width: 360, height: 640 };

function cognito(): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: stack().cognito,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

let count = 0;

/** A fresh account whose email's local part differs from the username, with a name in Cognito when asked. */
async function account(options: { name?: string } = {}) {
  count++;
  const username = `first-${process.pid}-${count}`;
  const user = { username, email: `box${process.pid}x${count}@example.com`, password: newTemporaryPassword() };
  const client = cognito();
  await createUser(client, stack().userPoolId, user);
  if (options.name) {
    await client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: stack().userPoolId,
        Username: username,
        UserAttributes: [{ Name: 'name', Value: options.name }],
      }),
    );
  }
  client.destroy();
  return user;
}

/** Holds every call to an API path until `release()`; counts the calls. */
async function holdApi(page: Page, path: string) {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const calls: Request[] = [];
  await page.route(`**${path}`, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    calls.push(route.request());
    await gate;
    await route.continue();
  });
  return { release, calls };
}

async function box(page: Page, selector: string) {
  const found = await page.locator(selector).boundingBox();
  if (!found) throw new Error(`${selector} is not visible`);
  return found;
}

/** Waits until a rule's line in the list says exactly `expected` (the page may still be asking the API). */
async function ruleSays(page: Page, rule: string, expected: string): Promise<void> {
  try {
    await page.waitForFunction(
      ([name, text]) => document.querySelector(`#rules li[data-rule="${name}"]`)?.textContent === text,
      [rule, expected] as const,
      { timeout: 5000 },
    );
  } catch {
    const actual = await page.locator(`#rules li[data-rule="${rule}"]`).textContent();
    throw new Error(`rule ${rule} says "${actual}", expected "${expected}"`);
  }
}

/** The live regions with something to say right now: there must be one truth, not two. */
async function speakingRegions(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[aria-live], [role="alert"], [role="status"]')]
      .filter((region) => !region.closest('[hidden]') && (region.textContent ?? '').trim() !== '')
      .map((region) => region.textContent ?? ''),
  );
}

describe.each(cases)('a first-time user in %s', (locale, lang) => {
  const t = { ...catalogue[lang].page, ...catalogue[lang].script };
  const limitNote = format(t['reset.limitNote'], {
    count: rateLimitDefaults.resetEmailsPerAccount.limit,
    minutes: rateLimitDefaults.resetEmailsPerAccount.windowSeconds / 60,
  });

  it('1. request page on a phone: a double click while busy moves nothing, never leaves, ends on the reference', async () => {
    const { context, page, problems } = await visit(browser(), locale);
    await page.setViewportSize(PHONE);
    await page.goto('/request-credential');
    // 8. The first field has focus on arrival: typing starts at once.
    await expect(focused(page)).resolves.toBe('full-name');
    await page.keyboard.type('Anna Rossi');
    await page.locator('#company').fill('Rossi & Figli');
    await page.locator('#email').fill(`anna.${process.pid}.${lang}@customer.example`);
    await page.locator('#reason').fill('New IT contact for our support contract.');
    const held = await holdApi(page, apiRoutes.requestCredential.path);
    const button = 'button[type="submit"]';
    const back = '#request-form .actions a';
    const before = { button: await box(page, button), back: await box(page, back) };

    // A double click on "Send request": the second click lands while the page is busy.
    await page.mouse.dblclick(before.button.x + before.button.width / 2, before.button.y + before.button.height / 2);
    await expect(page.locator(button).getAttribute('aria-busy')).resolves.toBe('true');
    await expect(page.locator(button).textContent()).resolves.toBe(t['requestCredential.busy']);
    // Nothing moved: the button kept its size, the link its place.
    expect(await box(page, button)).toEqual(before.button);
    expect(await box(page, back)).toEqual(before.back);
    // Even a click on the link beside it does not leave the page while the request is on its way.
    await page.mouse.click(before.back.x + before.back.width / 2, before.back.y + before.back.height / 2);
    expect(page.url()).toBe(`${stack().url}/request-credential`);
    await expectAccessible(page, `request page, busy (${lang})`);

    held.release();
    await page.getByRole('heading', { name: t['requestCredential.sentHeading'] }).waitFor();
    await expect(page.locator('#reference').textContent()).resolves.toMatch(/^CR-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(held.calls).toHaveLength(1);
    expect(page.url()).toBe(`${stack().url}/request-credential`);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('1, 2, 8. forgot page on a phone, by keyboard: the button keeps its size, and "sent" gives the hourly limit', async () => {
    const user = await account();
    const { context, page, problems } = await visit(browser(), locale);
    await page.setViewportSize(PHONE);
    await page.goto('/forgot');
    await expect(focused(page)).resolves.toBe('login');
    await page.keyboard.type(user.username);
    const held = await holdApi(page, apiRoutes.requestReset.path);
    const before = { button: await box(page, 'button[type="submit"]'), back: await box(page, '.actions a') };
    await page.keyboard.press('Enter');
    await expect(page.locator('button[type="submit"]').getAttribute('aria-busy')).resolves.toBe('true');
    expect(await box(page, 'button[type="submit"]')).toEqual(before.button);
    expect(await box(page, '.actions a')).toEqual(before.back);
    await page.locator('.actions a').click();
    expect(page.url()).toBe(`${stack().url}/forgot`);
    held.release();

    await page.getByRole('heading', { name: t['forgot.sentHeading'] }).waitFor();
    // The same words whether or not a link went out: how many an hour, and what to do if none comes.
    await expect(page.locator('#sent-message').textContent()).resolves.toBe(`${t['forgot.sent']} ${limitNote}`);
    expect(limitNote).toContain(String(rateLimitDefaults.resetEmailsPerAccount.limit));
    await expectAccessible(page, `forgot page, sent (${lang})`);
    expect(held.calls).toHaveLength(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('8. the login page starts on its first field', async () => {
    const { context, page } = await visit(browser(), locale);
    await page.goto('/');
    await expect(focused(page)).resolves.toBe('username');
    await page.keyboard.type('someone');
    await expect(page.locator('#username').inputValue()).resolves.toBe('someone');
    await context.close();
  });

  it('2. "Email me a new link" from a spent link says the same: the limit and what to do', async () => {
    const { context, page, problems } = await visit(browser(), locale);
    await page.route(
      `**${apiRoutes.confirmReset.path}`,
      (route) => route.fulfill({ status: 410, contentType: 'application/json', body: '{"error":"link_used"}' }),
      { times: 1 },
    );
    await page.goto(`/reset#token=${'B'.repeat(43)}`);
    await page.getByRole('button', { name: t['reset.ready.submit'] }).click();
    await page.getByRole('heading', { name: t['reset.used.heading'] }).waitFor();
    await page.getByRole('button', { name: t['reset.newLink'] }).click();
    await page.getByRole('heading', { name: t['reset.newLinkSent.heading'] }).waitFor();
    await expect(page.locator('#new-link-message').textContent()).resolves.toBe(
      `${t['reset.newLinkSent']} ${limitNote}`,
    );
    await expectAccessible(page, `reset page, new link sent (${lang})`);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('3. /new-password without a pending sign-in says what to do; a signed-in person goes to the signed-in page', async () => {
    const { context, page, problems } = await visit(browser(), locale);
    await page.setViewportSize(PHONE);
    await page.goto('/new-password');
    await page.getByRole('heading', { name: t['newPassword.none.heading'] }).waitFor();
    await expect(focused(page)).resolves.toBe('heading');
    await expect(page.locator('#new-password-form').isVisible()).resolves.toBe(false);
    await expect(page.getByText(t['newPassword.none.lead']).isVisible()).resolves.toBe(true);
    await expectAccessible(page, `new-password page, nothing pending (${lang})`);
    await page.keyboard.press('Tab');
    await expect(focused(page)).resolves.toBe(`a:${t['newPassword.none.action']}`);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${stack().url}/`);

    const user = await account();
    await page.locator('#username').fill(user.username);
    await page.locator('#password').fill(user.password);
    await page.locator('#password').press('Enter');
    await page.waitForURL('**/signed-in');
    await page.goto('/new-password');
    await page.waitForURL('**/signed-in');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('4-7, 9. the new-password page: every rule from the start, context words, one live region, Show for both', async () => {
    const user = await account({ name: 'Jane Doe' });
    const local = user.email.split('@')[0] as string;
    // A reset, for real: both emails greet by the name, the second says how long its password works.
    await requestLink(user.username, lang);
    const linkEmail = await nthEmail(user.email, 1);
    expect(linkEmail.text).toMatch(lang === 'en' ? /^Hello Jane Doe,/ : /^Ciao Jane Doe,/);
    const confirmed = await fetch(`${stack().url}${apiRoutes.confirmReset.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack().url },
      body: JSON.stringify({ token: tokenIn(linkEmail), language: lang }),
    });
    expect(confirmed.status).toBe(200);
    const passwordEmail = await nthEmail(user.email, 2);
    expect(passwordEmail.text).toMatch(lang === 'en' ? /^Hello Jane Doe,/ : /^Ciao Jane Doe,/);
    const minutes = lifetimeDefaults.temporaryPasswordMinutes;
    expect(passwordEmail.text).toContain(
      lang === 'en' ? `only for ${minutes} minutes: until` : `solo per ${minutes} minuti: fino al`,
    );
    expect(passwordEmail.html).toContain(lang === 'en' ? `only for ${minutes} minutes` : `solo per ${minutes} minuti`);

    const { context, page, problems } = await visit(browser(), locale);
    await page.setViewportSize(PHONE);
    await page.goto('/');
    await page.keyboard.type(user.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(temporaryPasswordIn(passwordEmail));
    await page.keyboard.press('Enter');
    await page.waitForURL('**/new-password');
    // 3. Half-way through this sign-in, the signed-in page sends me back here.
    await page.goto('/signed-in');
    await page.waitForURL('**/new-password');

    // 6. Every rule is there from the start; the server-only one says when it is checked.
    const rules = page.locator('#rules li');
    await expect(rules.count()).resolves.toBe(applicableRules().length);
    await expect(page.locator('#rules li[hidden]').count()).resolves.toBe(0);
    const contextRule = page.locator('#rules li[data-rule="no_context_words"]');
    const commonRule = page.locator('#rules li[data-rule="not_common"]');
    await expect(commonRule.textContent()).resolves.toBe(`${t['rule.not_common']}: ${t['newPassword.ruleOnSave']}`);
    await expect(contextRule.textContent()).resolves.toBe(
      `${format(t['rule.no_context_words'], { portal: 'IMS SUPPORT' })}: ${t['newPassword.ruleMet']}`,
    );
    await expectAccessible(page, `new-password page, fresh (${lang})`);

    // 4. The portal name and the username inside, in any case and with spaces: refused while typing.
    const fresh = page.locator('#new-password');
    const repeat = page.locator('#confirm-password');
    const contextText = format(t['rule.no_context_words'], { portal: 'IMS SUPPORT' });
    await fresh.fill(`IMS SUPPORT ${user.username.toUpperCase()}`);
    await ruleSays(page, 'no_context_words', `${contextText}: ${t['newPassword.ruleUnmet']}`);
    await fresh.fill('Correct horse battery');
    await ruleSays(page, 'no_context_words', `${contextText}: ${t['newPassword.ruleMet']}`);
    // The email's local part, which the page learns from GET /api/session.
    await fresh.fill(`Horse ${local} battery`);
    await ruleSays(page, 'no_context_words', `${contextText}: ${t['newPassword.ruleUnmet']}`);
    await repeat.fill(`Horse ${local} battery`);
    const saves: Request[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith(apiRoutes.choosePassword.path)) saves.push(request);
    });
    await page.locator('button[type="submit"]').click();
    await expect(page.locator('#new-password-error').textContent()).resolves.toContain(contextText.slice(1));
    expect(saves).toHaveLength(0);

    // 7. "Show" reveals both fields.
    await page.locator('button[data-toggle]').click();
    await expect(fresh.getAttribute('type')).resolves.toBe('text');
    await expect(repeat.getAttribute('type')).resolves.toBe('text');
    await expectAccessible(page, `new-password page, both shown (${lang})`);
    await page.locator('button[data-toggle]').click();
    await expect(repeat.getAttribute('type')).resolves.toBe('password');

    // 5. A common password passes the page's checks; the server refuses it; one truth everywhere.
    await fresh.fill('IMS-Support-2024');
    await page.locator('#rules-status').getByText(t['newPassword.allMet']).waitFor({ state: 'attached' });
    await repeat.fill('IMS-Support-2024');
    await page.locator('button[type="submit"]').click();
    await ruleSays(page, 'not_common', `${t['rule.not_common']}: ${t['newPassword.ruleRefused']}`);
    const stillNeeds = format(t['newPassword.stillNeeds'], {
      rules: t['rule.not_common'].charAt(0).toLowerCase() + t['rule.not_common'].slice(1),
    });
    await expect(speakingRegions(page)).resolves.toEqual([stillNeeds]);
    await expect(page.locator('#new-password-error').textContent()).resolves.toBe(stillNeeds);
    await expect(page.getByText(t['newPassword.allMet']).count()).resolves.toBe(0);
    await expectAccessible(page, `new-password page, refused by the server (${lang})`);

    // A good one: signed in; Back to /new-password leads to the signed-in page again.
    await fresh.fill('Blue-Harbour-Lamp-27');
    await ruleSays(page, 'not_common', `${t['rule.not_common']}: ${t['newPassword.ruleOnSave']}`);
    await repeat.fill('Blue-Harbour-Lamp-27');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL('**/signed-in');
    await page.goBack();
    await page.waitForURL('**/signed-in');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('10. an unknown address: the 404 in the site look and language, by keyboard to the login page', async () => {
    const { context, page, problems } = await visit(browser(), locale);
    await page.setViewportSize(PHONE);
    const response = await page.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    await expect(page.getAttribute('html', 'lang')).resolves.toBe(lang);
    await page.getByRole('heading', { name: t['notFound.heading'] }).waitFor();
    await expect(page.title()).resolves.toBe(`${t['notFound.title']} · IMS SUPPORT`);
    // The site's stylesheet applies: the card, the system font, not the browser's Times.
    const look = await page.evaluate(() => ({
      sheets: document.styleSheets.length,
      font: getComputedStyle(document.body).fontFamily,
      card: getComputedStyle(document.querySelector('main') as HTMLElement).borderRadius,
    }));
    expect(look.sheets).toBe(1);
    expect(look.font).not.toMatch(/Times/);
    expect(look.card).not.toBe('0px');
    await expectAccessible(page, `404 (${lang})`);
    await page.keyboard.press('Tab');
    await expect(focused(page)).resolves.toBe(`a:${t['notFound.action']}`);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${stack().url}/`);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('the reset page and the token in the address bar (issue 10 item 8)', () => {
  it('forgets a spent or refused token, and follows a new link pasted into the same tab', async () => {
    const t = catalogue.en.page;
    const user = await account();
    await requestLink(user.username);
    const first = tokenIn(await nthEmail(user.email, 1));
    const { context, page, problems } = await visit(browser(), 'en-GB');
    await page.goto(`/reset#token=${first}`);
    await page.getByRole('button', { name: t['reset.ready.submit'] }).click();
    await page.getByRole('heading', { name: t['reset.sent.heading'] }).waitFor();
    // Spent: the address bar no longer carries it (Back, bookmarks, a shared screen).
    expect(page.url()).toBe(`${stack().url}/reset`);
    await nthEmail(user.email, 2);

    // A newer link, pasted into the same tab: only the fragment changes, the page follows it.
    await requestLink(user.username);
    const second = tokenIn(await nthEmail(user.email, 3));
    await page.evaluate(() => {
      (window as { sameDocument?: boolean }).sameDocument = true;
    });
    await page.goto(`/reset#token=${second}`);
    await page.getByRole('heading', { name: t['reset.ready.heading'] }).waitFor();
    await expect(page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).resolves.toBe(true);
    await expect(focused(page)).resolves.toBe(`h1:${t['reset.ready.heading']}`);
    await expectAccessible(page, 'reset page, a new link pasted');
    await page.getByRole('button', { name: t['reset.ready.submit'] }).click();
    await page.getByRole('heading', { name: t['reset.sent.heading'] }).waitFor();
    expect(page.url()).toBe(`${stack().url}/reset`);
    await nthEmail(user.email, 4);

    // The first link again: refused as used, and forgotten too.
    await page.goto(`/reset#token=${first}`);
    await page.getByRole('button', { name: t['reset.ready.submit'] }).click();
    await page.getByRole('heading', { name: t['reset.used.heading'] }).waitFor();
    expect(page.url()).toBe(`${stack().url}/reset`);
    // Its "Email me a new link" still works: the page kept the token in memory.
    await page.getByRole('button', { name: t['reset.newLink'] }).click();
    await page.getByRole('heading', { name: t['reset.newLinkSent.heading'] }).waitFor();
    await nthEmail(user.email, 5);
    expect(problems).toEqual([]);
    await context.close();
  });
});
