// The two emails as a mail client shows them, in both languages: rendered from the local inbox in
// a blank page (no site CSP, no network), checked by axe in light and dark mode, readable without
// any remote image, and with their plain-text part.
import type { InboxEmail } from '../../local/local-stack';
import {
  expectAccessible,
  newUser,
  nthEmail,
  openEmail,
  requestLink,
  stack,
  tokenIn,
  useBrowser,
  visit,
} from './support/helpers';

jest.setTimeout(60_000);

const browser = useBrowser();

async function bothEmails(language: 'en' | 'it'): Promise<[InboxEmail, InboxEmail]> {
  const user = await newUser(`mail-${language}`);
  await requestLink(user.username, language);
  const reset = await nthEmail(user.email, 1);
  const confirm = await fetch(`${stack().url}/api/password-reset/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: stack().url },
    body: JSON.stringify({ token: tokenIn(reset), language }),
  });
  expect(confirm.status).toBe(200);
  return [reset, await nthEmail(user.email, 2)];
}

describe.each([
  ['en', 'Here', 'Go to the login page'],
  ['it', 'Qui', 'Vai alla pagina di accesso'],
] as const)('the emails in %s', (language, here, toLogin) => {
  it('render accessibly in light and dark mode, with nothing fetched from the network', async () => {
    const [reset, password] = await bothEmails(language);
    for (const colorScheme of ['light', 'dark'] as const) {
      const { context, problems } = await visit(browser(), language === 'en' ? 'en-GB' : 'it-IT', colorScheme);
      const requests: string[] = [];
      context.on('request', (request) => requests.push(request.url()));

      const resetMail = await openEmail(context, reset);
      await expect(resetMail.getAttribute('html', 'lang')).resolves.toBe(language);
      await expectAccessible(resetMail, `the ${language} reset-link email, ${colorScheme}`);
      const button = resetMail.getByRole('link', { name: new RegExp(`^${here}`) });
      await expect(button.getAttribute('href')).resolves.toMatch(/\/reset#token=[\w-]{43}$/);
      // The same link written out, to copy when the button does not work.
      await expect(resetMail.getByText(/\/reset#token=[\w-]{43}$/).count()).resolves.toBe(1);

      const passwordMail = await openEmail(context, password);
      await expectAccessible(passwordMail, `the ${language} new-password email, ${colorScheme}`);
      await expect(passwordMail.getByRole('link', { name: toLogin }).getAttribute('href')).resolves.toBe(
        `${stack().url}/`,
      );

      // Dark mode: the text turns light on a dark card (clients that honour the media query).
      const colours = await passwordMail.evaluate(() => {
        const cell = document.querySelector('.sa-text') as HTMLElement;
        const card = document.querySelector('.sa-card') as HTMLElement;
        return [getComputedStyle(cell).color, getComputedStyle(card).backgroundColor];
      });
      expect(colours).toEqual(
        colorScheme === 'dark' ? ['rgb(232, 234, 237)', 'rgb(29, 32, 37)'] : ['rgb(27, 31, 36)', 'rgb(255, 255, 255)'],
      );
      expect(requests).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    }
    // Each has a plain-text part in the same language.
    expect(reset.text).toContain(tokenIn(reset));
    expect(reset.text).toMatch(language === 'en' ? /^Hello / : /^Ciao /);
    expect(password.text).toMatch(language === 'en' ? /^Hello / : /^Ciao /);
  });
});
