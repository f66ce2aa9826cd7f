// The seed's journey clicked through as a person would, in English: forgot, the email's "Here"
// button, the new password by mail, signing in with it, choosing my own, signing out; then the
// spent link. axe checks the emails and the states only a real journey reaches (accessibility.test.ts
// checks every page and state).
import {
  expectAccessible,
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

describe('the recovery journey in a browser', () => {
  it('goes from "Forgot your password?" to signed in with a password of my own, and out again', async () => {
    const user = await newUser('journey');
    const { context, page, problems } = await visit(browser(), 'en-GB');

    // The login page, as the seed has it.
    await page.goto('/');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(page.title()).resolves.toBe('Login · IMS SUPPORT');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Login');
    // The password manager fills it, and the browser offers passkeys among its suggestions.
    await expect(page.getByLabel('User', { exact: true }).getAttribute('autocomplete')).resolves.toBe(
      'username webauthn',
    );
    await expect(page.getByLabel('Password', { exact: true }).getAttribute('autocomplete')).resolves.toBe(
      'current-password',
    );

    // 1. Forgot your password?
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.waitForURL('**/forgot');

    // An empty request is refused next to the field, and the field says so to a screen reader.
    await page.getByRole('button', { name: 'Send request' }).click();
    const login = page.getByLabel('Username or email');
    await expect(login.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(focused(page)).resolves.toBe('login');
    const describedBy = (await login.getAttribute('aria-describedby')) ?? '';
    await expect(page.locator(`#${describedBy.split(' ')[0]}`).textContent()).resolves.toBe(
      'Enter your username or the email address of your account.',
    );

    // 2. Send request: the button says it is working while the request is on its way.
    await page.route('**/api/password-reset', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 600));
      await route.continue();
    });
    await login.fill(user.email);
    const send = page.locator('#forgot-form button[type="submit"]');
    await send.click();
    await expect(send.textContent()).resolves.toBe('Sending…');
    await expect(send.getAttribute('aria-busy')).resolves.toBe('true');
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await page.unroute('**/api/password-reset');
    await expect(focused(page)).resolves.toBe('heading');
    await expect(page.locator('#sent-message').textContent()).resolves.toMatch(/^If an account matches, we have sent/);

    // 3. The email, opened from the local inbox; its "Here" button opens the reset page.
    const resetEmail = await nthEmail(user.email, 1);
    expect(resetEmail.subject).toBe('IMS SUPPORT: reset your password');
    const mail = await openEmail(context, resetEmail);
    await expectAccessible(mail, 'the reset-link email');
    await mail.getByRole('link', { name: /^Here/ }).click();
    await mail.waitForURL(/\/reset#token=[A-Za-z0-9_-]{43}$/);
    const resetUrl = mail.url();
    await mail.close();

    // 4. Send me a new password -> "New password sent via mail".
    await page.goto(resetUrl);
    await page.getByRole('heading', { name: 'Get a new password' }).waitFor();
    await page.getByRole('button', { name: 'Send me a new password' }).click();
    await page.getByRole('heading', { name: 'New password sent via mail' }).waitFor();
    await expect(page.title()).resolves.toBe('New password sent via mail · IMS SUPPORT');

    const passwordEmail = await nthEmail(user.email, 2);
    expect(passwordEmail.subject).toBe('IMS SUPPORT: your new password');
    const temporary = temporaryPasswordIn(passwordEmail);
    const passwordMail = await openEmail(context, passwordEmail);
    await expect(passwordMail.getByText(temporary, { exact: true }).isVisible()).resolves.toBe(true);
    await expectAccessible(passwordMail, 'the new-password email');
    await passwordMail.close();

    // 5. Sign in with it; show and hide the password on the way.
    await page.getByRole('link', { name: 'Go to the login page' }).click();
    await page.waitForURL(`${stack().url}/`);
    await page.getByLabel('User', { exact: true }).fill(user.username);
    const password = page.getByLabel('Password', { exact: true });
    await password.fill(temporary);
    await page.getByRole('button', { name: 'Show password' }).click();
    await expect(password.getAttribute('type')).resolves.toBe('text');
    await expectAccessible(page, 'the login page, password shown');
    await page.getByRole('button', { name: 'Hide password' }).click();
    await expect(password.getAttribute('type')).resolves.toBe('password');
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
    await page.waitForURL('**/new-password');

    // The new-password page checks the rules as I type.
    const fresh = page.getByLabel('New password', { exact: true });
    await expect(fresh.getAttribute('autocomplete')).resolves.toBe('new-password');
    await expect(page.locator('#account-username').inputValue()).resolves.toBe(user.username);
    // Every rule from the start; the common-password one is the server's, checked on save.
    const rules = page.locator('#rules li:not([hidden])');
    const rule = (name: string) => page.locator(`#rules li[data-rule="${name}"]`);
    const contextRule = 'Does not contain your username, the first part of your email address or IMS SUPPORT';
    await expect(rules.allTextContents()).resolves.toEqual([
      'At least 12 characters: not yet',
      `${contextRule}: done`,
      'No space at the start or end: done',
      'At most 128 characters: done',
      'Not a commonly used password: checked when you save',
    ]);
    await fresh.pressSequentially('harbour');
    await expect(rule('min_length').textContent()).resolves.toBe('At least 12 characters: not yet');
    // My username as a password: the context-word rule says so as I type.
    await fresh.fill(user.username);
    await expect(rule('min_length').textContent()).resolves.toBe('At least 12 characters: done');
    await expect(rule('no_context_words').textContent()).resolves.toBe(`${contextRule}: not yet`);
    // A weak password is refused before it is sent, with the rule it breaks, next to the field.
    await page.getByLabel('Repeat the new password').fill(user.username);
    await page.getByRole('button', { name: 'Save and sign in' }).click();
    await expect(page.locator('#new-password-error').textContent()).resolves.toBe(
      'The password still needs: does not contain your username, the first part of your email address or IMS SUPPORT.',
    );
    await expect(focused(page)).resolves.toBe('new-password');
    // A common one passes the page's checks; the server refuses it and the page says why.
    await fresh.fill('IMS-Support-2024');
    await page.getByLabel('Repeat the new password').fill('IMS-Support-2024');
    await page.getByRole('button', { name: 'Save and sign in' }).click();
    await rule('not_common').getByText('Not a commonly used password: not met, choose another password').waitFor();
    await expect(page.locator('#new-password-error').textContent()).resolves.toBe(
      'The password still needs: not a commonly used password.',
    );
    // Said once, in the rules' live region, not in a second alert that might contradict it.
    await expect(page.locator('#rules-status').textContent()).resolves.toBe(
      'The password still needs: not a commonly used password.',
    );
    await expect(page.getByRole('alert').isVisible()).resolves.toBe(false);
    await expectAccessible(page, 'the new-password page with a refused password');

    const mine = 'Blue-Harbour-Lamp-27';
    await fresh.fill(mine);
    await expect(rule('min_length').textContent()).resolves.toBe('At least 12 characters: done');
    await expect(rule('not_common').textContent()).resolves.toBe('Not a commonly used password: checked when you save');
    await expect(page.locator('#rules li.met').count()).resolves.toBe(4);
    await page.getByLabel('Repeat the new password').fill('Blue-Harbour-Lamp-28');
    await page.getByRole('button', { name: 'Save and sign in' }).click();
    await expect(page.locator('#confirm-password-error').textContent()).resolves.toBe(
      'The two passwords are different. Type the same password twice.',
    );
    await expect(focused(page)).resolves.toBe('confirm-password');
    await page.getByLabel('Repeat the new password').fill(mine);
    await page.getByRole('button', { name: 'Save and sign in' }).click();

    // Signed in.
    await page.waitForURL('**/signed-in');
    await page.getByText(`You are signed in as ${user.username}.`).waitFor();

    // Sign out ends the session: the signed-in page now sends me to the login page.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/?signed-out');
    await expect(page.getByRole('status').textContent()).resolves.toBe('You have signed out.');
    await page.goto('/signed-in');
    await page.waitForURL('**/?expired');
    await expect(page.getByRole('status').textContent()).resolves.toBe(
      'Your session has ended. Sign in again to continue.',
    );

    // My own password works; the temporary one is spent.
    await page.getByLabel('User', { exact: true }).fill(user.username);
    await page.getByLabel('Password', { exact: true }).fill(temporary);
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/^The username or password is not right/);
    await expect(focused(page)).resolves.toBe('form-error');
    await expect(page.getByLabel('Password', { exact: true }).inputValue()).resolves.toBe('');
    await page.getByLabel('Password', { exact: true }).fill(mine);
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
    await page.waitForURL('**/signed-in');

    // The link from the email works once: opened again, it says so and offers a new one.
    await page.goto(resetUrl);
    await page.getByRole('button', { name: 'Send me a new password' }).click();
    await page.getByRole('heading', { name: 'This link has already been used' }).waitFor();

    expect(problems).toEqual([]);
    await context.close();
  });
});
