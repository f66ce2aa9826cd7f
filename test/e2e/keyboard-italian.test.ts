// The whole journey once with the keyboard alone, by an Italian visitor: the browser's language
// picks the pages, the emails follow the language of the request, and focus always lands where
// the next step is. No mouse: only Tab, Enter, Space and typing.
import type { Page } from 'playwright-core';
import {
  focused,
  newUser,
  nthEmail,
  openEmail,
  stack,
  temporaryPasswordIn,
  useBrowser,
  visit,
} from './support/helpers';

jest.setTimeout(60_000);

const browser = useBrowser();

/** Presses Tab until `target` has focus, and returns the focus stops on the way (at most 12). */
async function tabTo(page: Page, target: string): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    stops.push(now);
    if (now === target) return stops;
  }
  throw new Error(`Tab never reached ${target}; stops: ${stops.join(' > ')}`);
}

describe('the journey with the keyboard alone, in Italian', () => {
  it('goes from the login page to signed in with my own password and out again', async () => {
    const user = await newUser('tastiera');
    const { context, page, problems } = await visit(browser(), 'it-IT');

    await page.goto('/');
    expect(await page.getAttribute('html', 'lang')).toBe('it');
    await expect(page.title()).resolves.toBe('Accesso · IMS SUPPORT');
    // Focus starts on the first field; the order follows the form, the links, the language switch.
    await expect(focused(page)).resolves.toBe('username');
    await expect(tabTo(page, 'a:Italiano')).resolves.toEqual([
      'password',
      'button:Mostra',
      'a:Password dimenticata?',
      'button:Accedi',
      // "Accedi con una passkey", after the form (the browser here can use passkeys).
      'passkey-sign-in',
      'a:Richiedi le tue credenziali',
      'a:English',
      'a:Italiano',
    ]);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await expect(focused(page)).resolves.toBe('a:Password dimenticata?');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/forgot');
    await page.getByRole('heading', { name: 'Password dimenticata?' }).waitFor();

    await expect(focused(page)).resolves.toBe('login');
    await page.keyboard.type(user.username);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Controlla la posta' }).waitFor();
    await expect(focused(page)).resolves.toBe('heading');
    await expect(page.locator('#sent-message').textContent()).resolves.toMatch(/^Se esiste un account corrispondente/);

    // The email is in Italian because the page asked in Italian; its first stop is the "Qui" button.
    const resetEmail = await nthEmail(user.email, 1);
    expect(resetEmail.subject).toBe('IMS SUPPORT: reimposta la password');
    expect(resetEmail.text).toMatch(/^Ciao tastiera-/);
    expect(resetEmail.text).toMatch(/fino al \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/);
    const mail = await openEmail(context, resetEmail);
    await mail.keyboard.press('Tab');
    await expect(focused(mail)).resolves.toBe('a:Qui');
    await mail.keyboard.press('Enter');
    await mail.waitForURL(/\/reset#token=/);
    const resetUrl = mail.url();
    await mail.close();

    await page.goto(resetUrl);
    await page.getByRole('heading', { name: 'Ricevi una nuova password' }).waitFor();
    await tabTo(page, 'confirm');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Nuova password inviata via email' }).waitFor();
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(
      'Nuova password inviata via email',
    );

    const passwordEmail = await nthEmail(user.email, 2);
    expect(passwordEmail.subject).toBe('IMS SUPPORT: la tua nuova password');
    expect(passwordEmail.text).toContain("dall'indirizzo IP 127.0.0.1");
    const temporary = temporaryPasswordIn(passwordEmail);

    await tabTo(page, 'a:Vai alla pagina di accesso');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${stack().url}/`);
    await expect(focused(page)).resolves.toBe('username');
    await page.keyboard.type(user.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(temporary);
    // Space on the toggle shows the password, and the toggle says what it will do next.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect(page.locator('#password').getAttribute('type')).resolves.toBe('text');
    await expect(page.locator('button[data-toggle]').getAttribute('aria-label')).resolves.toBe('Nascondi la password');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/new-password');

    await expect(tabTo(page, 'confirm-password')).resolves.toEqual([
      'new-password',
      'button:Mostra',
      'confirm-password',
    ]);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.type('Lampada-Porto-27');
    await expect(page.locator('#rules li:not([hidden])').allTextContents()).resolves.toEqual([
      'Almeno 12 caratteri: fatto',
      'Non contiene il tuo nome utente, la prima parte del tuo indirizzo email né IMS SUPPORT: fatto',
      "Nessuno spazio all'inizio o alla fine: fatto",
      'Al massimo 128 caratteri: fatto',
      'Non una password di uso comune: verificata al salvataggio',
    ]);
    // Screen readers hear the summary once typing pauses.
    await page
      .getByText('La password rispetta tutte le regole verificate mentre scrivi', { exact: false })
      .waitFor({ state: 'attached' });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Lampada-Porto-27');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/signed-in');
    await page.getByText(`Hai effettuato l’accesso come ${user.username}.`).waitFor();

    await tabTo(page, 'sign-out');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/?signed-out');
    await expect(page.getByRole('status').textContent()).resolves.toBe('Hai chiuso la sessione.');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('the language switch', () => {
  it('follows the browser, then the choice made on the page, on every page and in the emails', async () => {
    const user = await newUser('switch');
    const { context, page, problems } = await visit(browser(), 'it-IT');
    await page.goto('/forgot');
    await expect(page.getAttribute('html', 'lang')).resolves.toBe('it');
    const nav = page.getByRole('navigation', { name: 'Lingua' });
    await expect(nav.getByRole('link', { name: 'Italiano' }).getAttribute('aria-current')).resolves.toBe('true');

    // A real link: keyboard-usable, labelled in its own language.
    await nav.getByRole('link', { name: 'English' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL('**/forgot');
    await expect(page.getAttribute('html', 'lang')).resolves.toBe('en');
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    expect((await context.cookies()).find((c) => c.name === 'lang')?.value).toBe('en');

    // The choice sticks across pages, over the browser's Italian.
    await page.getByRole('link', { name: 'Back to the login page' }).click();
    await page.getByRole('heading', { name: 'Login' }).waitFor();
    await page.goto('/forgot');

    // And the email follows the page's language.
    await page.getByLabel('Username or email').fill(user.email);
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    expect((await nthEmail(user.email, 1)).subject).toBe('IMS SUPPORT: reset your password');

    // Switching on the reset page keeps the link's token (the fragment).
    const token = /#token=([\w-]{43})/.exec((await nthEmail(user.email, 1)).text)?.[1];
    await page.goto(`/reset?x=1#token=${token}`);
    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Italiano' }).click();
    await page.getByRole('heading', { name: 'Ricevi una nuova password' }).waitFor();
    expect(page.url()).toBe(`${stack().url}/reset?x=1#token=${token}`);
    await page.getByRole('button', { name: 'Inviami una nuova password' }).click();
    await page.getByRole('heading', { name: 'Nuova password inviata via email' }).waitFor();
    expect((await nthEmail(user.email, 2)).subject).toBe('IMS SUPPORT: la tua nuova password');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('works without the page script too', async () => {
    const { page, context } = await visit(browser(), 'en-GB');
    await page.route('**/*.js', (route) => route.abort());
    await page.goto('/request-credential');
    await page.getByRole('link', { name: 'Italiano' }).click();
    await page.getByRole('heading', { name: 'Richiedi le tue credenziali' }).waitFor();
    expect(page.url()).toBe(`${stack().url}/request-credential`);
    await context.close();
  });
});
