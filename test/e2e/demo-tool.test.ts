// The demo support tool in a real browser, in both languages, with axe on every page it shows:
// sign in through our login page and be back in the tool; sign out through the provider's question;
// reset the password and watch the tool's session end (back-channel logout).
import type { Browser, Page } from 'playwright-core';
import { catalogue } from '../../static-site/src/messages';
import { expectAccessible, type Locale, newUser, nthEmail, stack, tokenIn, useBrowser } from './support/helpers';

jest.setTimeout(90_000);

const browser = useBrowser();

const demoToolUrl = () => (stack() as unknown as { demoTool: string }).demoTool;

const cases: [
  Locale,
  'en' | 'it',
  { signIn: string; signedInAs: string; signOut: string; signedOut: string; yes: string },
][] = [
  [
    'en-GB',
    'en',
    {
      signIn: 'Sign in with Support Access',
      signedInAs: 'Signed in as',
      signOut: 'Sign out',
      signedOut: 'You are not signed in to the tool.',
      yes: 'Yes, sign me out',
    },
  ],
  [
    'it-IT',
    'it',
    {
      signIn: 'Accedi con Support Access',
      signedInAs: 'Accesso effettuato come',
      signOut: 'Esci',
      signedOut: 'Non hai effettuato l’accesso allo strumento.',
      yes: 'Sì, esci',
    },
  ],
];

async function openTool(b: Browser, locale: Locale): Promise<{ page: Page; errors: string[] }> {
  const context = await b.newContext({ locale, viewport: { width: 412, height: 823 } });
  const errors: string[] = [];
  context.on('weberror', (error) => errors.push(`script error: ${error.error().message}`));
  const page = await context.newPage();
  await page.goto(`${demoToolUrl()}/`);
  return { page, errors };
}

async function signIn(page: Page, lang: 'en' | 'it', user: { username: string; password: string }, signInText: string) {
  await page.getByRole('link', { name: signInText }).click();
  // Our login page, carrying the provider's interaction.
  await page.waitForURL((url) => url.origin === stack().url && url.searchParams.has('interaction'));
  expect(await page.getAttribute('html', 'lang')).toBe(lang);
  await expectAccessible(page, `login for a tool (${lang})`);
  await page.locator('#username').fill(user.username);
  await page.locator('#password').fill(user.password);
  await page.getByRole('button', { name: catalogue[lang].page['login.submit'], exact: true }).click();
  await page.waitForURL((url) => url.origin === demoToolUrl() && url.pathname === '/');
}

describe.each(cases)('the demo tool in %s', (locale, lang, t) => {
  it('after a direct sign-in, the signed-in page offers to continue to the tool', async () => {
    const user = await newUser(`direct-${lang}`);
    const context = await browser().newContext({ locale, viewport: { width: 412, height: 823 } });
    const page = await context.newPage();
    await page.goto(`${stack().url}/`);
    await page.locator('#username').fill(user.username);
    await page.locator('#password').fill(user.password);
    await page.getByRole('button', { name: catalogue[lang].page['login.submit'], exact: true }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/signed-in'));
    const name = catalogue[lang].script['signedIn.continueTo'].replace('{name}', 'Demo support tool');
    const link = page.getByRole('link', { name });
    await expect(link.getAttribute('href')).resolves.toBe(`${demoToolUrl()}/`);
    await expectAccessible(page, `signed in, with a tool to continue to (${lang})`);
    await link.click();
    await page.waitForURL((url) => url.origin === demoToolUrl());
    await context.close();
  });

  it('signs in through our login page, then signs out through the provider', async () => {
    const user = await newUser(`tool-${lang}`);
    const { page, errors } = await openTool(browser(), locale);
    await expect(page.locator('#status').textContent()).resolves.toBe(t.signedOut);
    await expectAccessible(page, `demo tool signed out (${lang})`);
    await signIn(page, lang, user, t.signIn);
    await expect(page.locator('#status').textContent()).resolves.toContain(t.signedInAs);
    await expect(page.locator('dl').textContent()).resolves.toContain(user.email);
    await expectAccessible(page, `demo tool signed in (${lang})`);

    await page.getByRole('button', { name: t.signOut }).click();
    // The provider asks first (a link alone must not sign anyone out).
    await page.waitForURL((url) => url.origin === stack().url);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    await expectAccessible(page, `sign-out question (${lang})`);
    await page.getByRole('button', { name: t.yes }).click();
    await page.waitForURL((url) => url.origin === demoToolUrl());
    await expect(page.locator('#status').textContent()).resolves.toBe(t.signedOut);
    // Signed out of Support Access too: our login page asks again.
    await page.goto(`${stack().url}/signed-in`);
    await page.waitForURL((url) => url.searchParams.has('expired'));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a password reset ends the session in the tool (back-channel logout)', async () => {
    const user = await newUser(`reset-${lang}`);
    const { page, errors } = await openTool(browser(), locale);
    await signIn(page, lang, user, t.signIn);
    await expect(page.locator('#status').textContent()).resolves.toContain(t.signedInAs);
    const response = await fetch(`${stack().url}/api/password-reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack().url },
      body: JSON.stringify({ login: user.username, language: lang }),
    });
    expect(response.status).toBe(202);
    const token = tokenIn(await nthEmail(user.email, 1));
    const confirm = await fetch(`${stack().url}/api/password-reset/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack().url },
      body: JSON.stringify({ token }),
    });
    expect(confirm.status).toBe(200);
    await page.reload();
    await expect(page.locator('#status').textContent()).resolves.toBe(t.signedOut);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
