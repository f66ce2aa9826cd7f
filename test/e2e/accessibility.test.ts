// axe on every page and every state, in both languages, light and dark. The API's answers for the
// rarer states (a spent link, a throttled sign-in, an outage) are played by page.route, so each state
// is reached in one step; the journeys in the other files reach the same states for real.
import type { Page } from 'playwright-core';
import { catalogue } from '../../static-site/src/messages';
import { expectAccessible, type Locale, useBrowser, visit } from './support/helpers';

jest.setTimeout(60_000);

const browser = useBrowser();

const TOKEN = 'A'.repeat(43);

/** Answers one API call with a status and body, once. */
async function answer(page: Page, path: string, status: number, body: unknown): Promise<void> {
  await page.route(
    `**${path}`,
    (route) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) }),
    { times: 1 },
  );
}

/** English words on an Italian page would be a missed translation (or a flash of the wrong language). */
async function expectNoEnglish(page: Page, state: string): Promise<void> {
  const english = [...Object.values(catalogue.en.page), ...Object.values(catalogue.en.script)].filter(
    (text) => text.length >= 12 && !Object.values(catalogue.it.page).includes(text),
  );
  // biome-ignore lint/performance/useDomNodeTextContent: only the visible text counts; hidden states are other pages
  const visible = await page.evaluate(() => document.body.innerText);
  const found = english.filter((text) => visible.includes(text));
  expect({ state, found }).toEqual({ state, found: [] });
}

const cases: [Locale, 'en' | 'it'][] = [
  ['en-GB', 'en'],
  ['it-IT', 'it'],
];

describe.each(cases)('every page and state in %s', (locale, lang) => {
  const t = { ...catalogue[lang].page, ...catalogue[lang].script };

  async function check(page: Page, state: string): Promise<void> {
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    await expectAccessible(page, `${state} (${lang})`);
    if (lang === 'it') await expectNoEnglish(page, state);
  }

  it('the login page: fresh, with errors, throttled, after sign-out and after the session ended', async () => {
    const { context, page, problems } = await visit(browser(), locale);
    await page.goto('/');
    await check(page, 'login');
    await page.getByRole('button', { name: t['login.submit'], exact: true }).click();
    await expect(page.locator('#username').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#username-error').textContent()).resolves.toBe(t['login.needUsername']);
    await expect(page.locator('#password-error').textContent()).resolves.toBe(t['login.needPassword']);
    await check(page, 'login, empty fields');
    await page.locator('#username').fill('someone');
    await page.locator('#password').fill('wrong password');
    await answer(page, '/api/session', 429, { error: 'rate_limited', message: 'English words' });
    await page.getByRole('button', { name: t['login.submit'], exact: true }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(t['error.rate_limited']);
    await check(page, 'login, throttled');
    await page.goto('/?signed-out');
    await expect(page.getByRole('status').textContent()).resolves.toBe(t['login.signedOut']);
    await check(page, 'login, signed out');
    await page.goto('/?expired');
    await expect(page.getByRole('status').textContent()).resolves.toBe(t['login.sessionEnded']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the forgot page: fresh, empty, sent, and when the portal cannot be reached', async () => {
    const { context, page } = await visit(browser(), locale);
    await page.goto('/forgot');
    await check(page, 'forgot');
    await page.getByRole('button', { name: t['forgot.submit'] }).click();
    await check(page, 'forgot, empty field');
    await page.locator('#login').fill('someone');
    await page.route('**/api/password-reset', (route) => route.abort(), { times: 1 });
    await page.getByRole('button', { name: t['forgot.submit'] }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(t['error.network']);
    await check(page, 'forgot, network error');
    await answer(page, '/api/password-reset', 202, { status: 'accepted' });
    await page.getByRole('button', { name: t['forgot.submit'] }).click();
    await page.getByRole('heading', { name: t['forgot.sentHeading'] }).waitFor();
    await check(page, 'forgot, sent');
    await context.close();
  });

  it('the reset page in each of its states', async () => {
    const { context, page } = await visit(browser(), locale);
    await page.goto('/reset');
    await page.getByRole('heading', { name: t['reset.invalid.heading'] }).waitFor();
    await check(page, 'reset, invalid link');

    const states: [number, Record<string, string>, string][] = [
      [410, { error: 'link_used' }, t['reset.used.heading']],
      [410, { error: 'link_expired' }, t['reset.expired.heading']],
      [410, { error: 'link_replaced' }, t['reset.replaced.heading']],
      [200, { status: 'sent' }, t['reset.sent.heading']],
    ];
    for (const [index, [status, body, heading]] of states.entries()) {
      // A new query each time: a full page load, not a jump within the same document.
      await page.goto(`/reset?state=${index}#token=${TOKEN}`);
      await page.getByRole('heading', { name: t['reset.ready.heading'] }).waitFor();
      await answer(page, '/api/password-reset/confirm', status, body);
      await page.getByRole('button', { name: t['reset.ready.submit'] }).click();
      await page.getByRole('heading', { name: heading }).waitFor();
      await expect(page.title()).resolves.toBe(`${heading} · IMS SUPPORT`);
      await check(page, `reset, ${heading}`);
    }
    // One click from the expired page asks for a new link.
    await page.goto(`/reset?state=new-link#token=${TOKEN}`);
    await answer(page, '/api/password-reset/confirm', 410, { error: 'link_expired' });
    await page.getByRole('button', { name: t['reset.ready.submit'] }).click();
    await answer(page, '/api/password-reset', 202, { status: 'accepted' });
    await page.getByRole('button', { name: t['reset.newLink'] }).click();
    await page.getByRole('heading', { name: t['reset.newLinkSent.heading'] }).waitFor();
    await check(page, 'reset, new link sent');
    // An outage keeps the link and says so.
    await page.goto(`/reset?state=outage#token=${TOKEN}`);
    await answer(page, '/api/password-reset/confirm', 503, { error: 'temporarily_unavailable' });
    await page.getByRole('button', { name: t['reset.ready.submit'] }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(t['error.temporarily_unavailable']);
    await check(page, 'reset, temporarily unavailable');
    await context.close();
  });

  it('the new-password page: fresh, as I type, and with errors', async () => {
    const { context, page } = await visit(browser(), locale);
    // A temporary-password sign-in is waiting (the page asks on load).
    await answer(page, '/api/session', 200, { challenge: 'NEW_PASSWORD_REQUIRED', username: 'demo' });
    await page.goto('/new-password');
    await check(page, 'new password');
    await page.locator('#new-password').fill('short');
    await page.getByRole('button', { name: t['newPassword.submit'] }).click();
    await expect(page.locator('#confirm-password-error').textContent()).resolves.toBe(t['newPassword.needRepeat']);
    await page.locator('#confirm-password').fill('short');
    await page.getByRole('button', { name: t['newPassword.submit'] }).click();
    await expect(page.locator('#new-password-error').isVisible()).resolves.toBe(true);
    await check(page, 'new password, rules not met');
    await page.locator('#new-password').fill('Blue-Harbour-Lamp-27');
    await page.locator('#confirm-password').fill('Blue-Harbour-Lamp-27');
    await answer(page, '/api/session/new-password', 401, { error: 'challenge_expired' });
    await page.getByRole('button', { name: t['newPassword.submit'] }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(t['error.challenge_expired']);
    await check(page, 'new password, step expired');
    await context.close();
  });

  it('the signed-in page', async () => {
    const { context, page } = await visit(browser(), locale);
    await answer(page, '/api/session', 200, { username: 'demo' });
    await page.goto('/signed-in');
    await page.getByText(t['signedIn.as'].replace('{username}', 'demo')).waitFor();
    await check(page, 'signed in');
    await context.close();
  });

  it('the request-credential page: fresh, with field errors, refused, and sent', async () => {
    const { context, page, problems } = await visit(browser(), locale);
    await page.goto('/request-credential');
    await check(page, 'request credential');
    const submit = page.getByRole('button', { name: t['requestCredential.submit'] });
    await submit.click();
    await expect(page.locator('#full-name').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#full-name-error').textContent()).resolves.toBe(t['requestCredential.needFullName']);
    await check(page, 'request credential, empty fields');
    await page.locator('#full-name').fill('Anna Rossi');
    await page.locator('#company').fill('Rossi & Figli');
    await page.locator('#email').fill('anna.rossi@customer.example');
    await page.locator('#reason').fill('I am the new IT contact for our support contract.');
    await answer(page, '/api/credential-requests', 429, { error: 'rate_limited' });
    await submit.click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(t['error.rate_limited']);
    await check(page, 'request credential, throttled');
    await answer(page, '/api/credential-requests', 202, { status: 'accepted', reference: 'CR-7KQ4-M2XP' });
    await submit.click();
    await page.getByRole('heading', { name: t['requestCredential.sentHeading'] }).waitFor();
    await expect(page.locator('#reference').textContent()).resolves.toBe('CR-7KQ4-M2XP');
    await check(page, 'request credential, sent');
    expect(problems).toEqual([]);
    await context.close();
  });

  // The dark palette does not depend on the language: once is enough.
  if (lang === 'en')
    it('every page in dark mode', async () => {
      const { context, page } = await visit(browser(), locale, 'dark');
      // The new-password page's form shows while a temporary-password sign-in waits.
      await page.route('**/api/session', (route) =>
        route.request().method() === 'GET'
          ? route.fulfill({
              status: 200,
              contentType: 'application/json',
              body: JSON.stringify({ challenge: 'NEW_PASSWORD_REQUIRED', username: 'demo' }),
            })
          : route.continue(),
      );
      const paths = ['/', '/forgot', '/new-password', '/request-credential', `/reset#token=${TOKEN}`, '/no-such-page'];
      for (const path of paths) {
        await page.goto(path);
        await page.reload();
        await page.locator('h1:visible').first().waitFor();
        // Error and success colours too: an empty submit where there is a form.
        const submit = page.locator('form button[type="submit"]');
        if ((await submit.count()) > 0) await submit.click();
        await check(page, `${path} in dark mode`);
      }
      await answer(page, '/api/session', 200, { username: 'demo' });
      await page.goto('/signed-in');
      await page.getByText(t['signedIn.as'].replace('{username}', 'demo')).waitFor();
      await check(page, 'signed in, dark mode');
      await context.close();
    });
});
