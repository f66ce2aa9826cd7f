// The authenticator app in a browser, in both languages: set it up on the account page (QR code and
// the key written out), keep the recovery codes, sign out, sign in with a code, then with a
// recovery code; axe on every new state. Codes are computed here from the key the page shows.
import { totpCode, totpStep } from '../../lambdas/domain/second-factors';
import { catalogue } from '../../static-site/src/messages';
import { expectAccessible, type Locale, newUser, useBrowser, visit } from './support/helpers';

jest.setTimeout(90_000);

const browser = useBrowser();

const cases: [Locale, 'en' | 'it'][] = [
  ['en-GB', 'en'],
  ['it-IT', 'it'],
];

describe.each(cases)('the authenticator app in %s', (locale, lang) => {
  const t = { ...catalogue[lang].page, ...catalogue[lang].script };

  it('is set up on the account page and then asked for after the password', async () => {
    const user = await newUser(`totp-${lang}`);
    const { context, page, problems } = await visit(browser(), locale);
    const signIn = async () => {
      await page.goto('/');
      await page.locator('#username').fill(user.username);
      await page.locator('#password').fill(user.password);
      await page.getByRole('button', { name: t['login.submit'], exact: true }).click();
    };

    // Signed in with the password only; the account page offers the set-up.
    await signIn();
    await page.waitForURL('**/signed-in');
    await page.getByRole('link', { name: t['signedIn.account'] }).click();
    await page.waitForURL('**/account');
    await page.locator('#totp-status', { hasText: t['account.totp.off'] }).waitFor();
    await expectAccessible(page, `account, no factor (${lang})`);

    await page.getByRole('button', { name: t['account.totp.start'] }).click();
    await page.locator('.secret').waitFor();
    await expect(page.getByRole('img', { name: t['setup.qrAlt'] }).getAttribute('src')).resolves.toMatch(
      /^data:image\/svg\+xml;base64,/,
    );
    await expectAccessible(page, `account, set-up (${lang})`);
    const secret = ((await page.locator('.secret').textContent()) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    // A wrong code is refused next to the field.
    await page.getByLabel(t['setup.codeLabel']).fill('000000');
    await page.getByRole('button', { name: t['setup.confirm'] }).click();
    await page.locator('#setup-code-error', { hasText: t['error.second_factor_invalid'] }).waitFor();
    await expect(page.locator('#setup-code').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(page, `account, wrong first code (${lang})`);

    await page.getByLabel(t['setup.codeLabel']).fill(totpCode(secret, Date.now()));
    await page.getByRole('button', { name: t['setup.confirm'] }).click();
    await page.locator('#totp-status', { hasText: t['account.totp.on'] }).waitFor();
    const codes = await page.locator('#recovery-list code').allTextContents();
    expect(codes).toHaveLength(10);
    await expectAccessible(page, `account, factor and recovery codes (${lang})`);

    // Sign out, sign in again: the password leads to the second step, not a session.
    await page.goto('/signed-in');
    await page.getByRole('button', { name: t['signedIn.signOut'] }).click();
    await page.waitForURL('**/?signed-out');
    await signIn();
    await page.waitForURL('**/second-step');
    await page.getByRole('heading', { level: 1, name: t['secondStep.verify.heading'] }).waitFor();
    await expectAccessible(page, `second step (${lang})`);

    await page.getByLabel(t['secondStep.code']).fill('123456');
    await page.getByRole('button', { name: t['secondStep.submit'] }).click();
    await page.locator('#form-error', { hasText: t['error.second_factor_invalid'] }).waitFor();
    await expectAccessible(page, `second step, wrong code (${lang})`);

    // The next step's code: the set-up spent the current one.
    const spentAt = Date.now() + 30_000;
    await page.getByLabel(t['secondStep.code']).fill(totpCode(secret, spentAt));
    await page.getByRole('button', { name: t['secondStep.submit'] }).click();
    await page.waitForURL('**/signed-in');

    // And with a recovery code instead.
    await page.getByRole('button', { name: t['signedIn.signOut'] }).click();
    await page.waitForURL('**/?signed-out');
    await signIn();
    await page.waitForURL('**/second-step');
    await page.getByRole('button', { name: t['secondStep.useRecovery'] }).click();
    await expectAccessible(page, `second step, recovery code (${lang})`);
    await page.getByLabel(t['secondStep.recoveryLabel']).fill(codes[0] as string);
    await page.getByRole('button', { name: t['secondStep.submit'] }).click();
    await page.waitForURL('**/signed-in');

    // Removing the app needs a current code from it: a wrong one is refused at the field.
    await page.goto('/account');
    await page.getByLabel(t['account.totp.removeLabel']).fill('000000');
    await page.getByRole('button', { name: t['account.totp.remove'] }).click();
    await page.locator('#remove-code-error', { hasText: t['error.second_factor_invalid'] }).waitFor();
    // A code of a later step than the one spent above, once the clock has reached that step
    // (codes are accepted one step either side of now).
    await page.waitForTimeout(Math.max(0, totpStep(spentAt) * 30_000 - Date.now()));
    await page.getByLabel(t['account.totp.removeLabel']).fill(totpCode(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: t['account.totp.remove'] }).click();
    await page.locator('#notice', { hasText: t['account.totp.removed'] }).waitFor();
    await page.locator('#totp-status', { hasText: t['account.totp.off'] }).waitFor();
    await expectAccessible(page, `account, authenticator removed (${lang})`);

    expect(problems).toEqual([]);
    await context.close();
  });
});
