// `npm run screenshots`: walks the journey in Chromium against a fresh local stack and saves every
// page and both emails to docs/screenshots/*.png for the README. Rerun after changing a page.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { chromium, type Page } from 'playwright-core';
import { rateLimitDefaults } from '../../../lambdas/definitions/rate-limits';
import { newTemporaryPassword } from '../../../lambdas/domain/secrets';
import { createUser } from '../../../local/bootstrap';
import { type LocalStack, readInbox, startLocalStack } from '../../../local/local-stack';
import { CHROMIUM_FLAGS, requireChromium } from './chromium';
import { addPlatformAuthenticator, virtualAuthenticators } from './webauthn';

export const SCREENSHOTS_DIR = join(__dirname, '..', '..', '..', 'docs', 'screenshots');

const VIEWPORT = { width: 480, height: 760 };

async function emailTo(stack: LocalStack, to: string, count: number) {
  await stack.queue.idle();
  const emails = (await readInbox(stack.sesUrl)).filter((email) => email.to === to).reverse();
  const email = emails[count - 1];
  if (!email) throw new Error(`email ${count} to ${to} did not arrive`);
  return email;
}

export async function takeScreenshots(log: (line: string) => void = console.log): Promise<string[]> {
  const executablePath = requireChromium();
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const wide = { limit: 1_000_000, windowSeconds: 60 };
  const stack = await startLocalStack({
    port: 0,
    queueRetryDelayMs: 200,
    env: {
      RATE_LIMITS: JSON.stringify({
        resetEmailsPerAccount: wide,
        signInPerAccount: wide,
        signInPerAccountAndSource: {
          freeFailures: wide.limit - 1,
          firstDelaySeconds: 1,
          maxDelaySeconds: 1,
          limit: wide.limit,
          windowSeconds: 60,
        },
        perIp: Object.fromEntries(Object.keys(rateLimitDefaults.perIp).map((name) => [name, wide])),
      }),
    },
  });
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
  rmSync(SCREENSHOTS_DIR, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  try {
    const user = { username: 'anna.rossi', email: 'anna.rossi@example.com', password: newTemporaryPassword() };
    const cognito = new CognitoIdentityProviderClient({
      endpoint: stack.endpoints.cognito,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    await createUser(cognito, stack.bootstrapped.userPoolId, user);
    cognito.destroy();

    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB', baseURL: stack.url });
    const page = await context.newPage();
    const shot = async (target: Page, name: string) => {
      // No blinking caret or half-finished spinner in the pictures.
      await target.evaluate(() => (document.activeElement as HTMLElement | null)?.blur?.());
      await target.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true, animations: 'disabled' });
      log(`  docs/screenshots/${name}.png`);
    };

    await page.goto('/');
    await shot(page, '01-login');
    await page.goto('/forgot');
    await page.getByLabel('Username or email').fill(user.username);
    await shot(page, '02-forgot');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await shot(page, '03-forgot-sent');

    const mail = await context.newPage();
    await mail.setContent((await emailTo(stack, user.email, 1)).html, { waitUntil: 'load' });
    await shot(mail, '04-email-reset-link');
    await mail.getByRole('link', { name: /^Here/ }).click();
    await mail.waitForURL(/\/reset#token=/);
    const resetUrl = mail.url();
    await mail.close();

    await page.goto(resetUrl);
    await page.getByRole('heading', { name: 'Get a new password' }).waitFor();
    await shot(page, '05-reset');
    await page.getByRole('button', { name: 'Send me a new password' }).click();
    await page.getByRole('heading', { name: 'New password sent via mail' }).waitFor();
    await shot(page, '06-reset-sent');

    const passwordEmail = await emailTo(stack, user.email, 2);
    const temporary = /^ {4}(\S+)$/m.exec(passwordEmail.text)?.[1] ?? '';
    const passwordMail = await context.newPage();
    await passwordMail.setContent(passwordEmail.html, { waitUntil: 'load' });
    await shot(passwordMail, '07-email-new-password');
    await passwordMail.close();

    await page.goto('/');
    await page.getByLabel('User', { exact: true }).fill(user.username);
    await page.getByLabel('Password', { exact: true }).fill(temporary);
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
    await page.waitForURL('**/new-password');
    await page.getByLabel('New password', { exact: true }).fill('Blue-Harbour');
    await shot(page, '08-new-password');
    await page.getByLabel('New password', { exact: true }).fill('Blue-Harbour-Lamp-27');
    await page.getByLabel('Repeat the new password').fill('Blue-Harbour-Lamp-27');
    await page.getByRole('button', { name: 'Save and sign in' }).click();
    await page.waitForURL('**/signed-in');
    await page.getByText('You are signed in as').waitFor();
    await shot(page, '09-signed-in');

    // Passkeys, with Chromium's virtual authenticator: the account page's list, then the second step.
    const cdp = await virtualAuthenticators(context, page);
    const authenticatorId = await addPlatformAuthenticator(cdp);
    await page.goto('/account');
    await page.getByLabel('Name of the new passkey').fill('Work laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.locator('#passkeys > li', { hasText: 'Work laptop' }).waitFor();
    await shot(page, '15-account-passkeys');
    await page.goto('/signed-in');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/?signed-out');
    // Without the authenticator, the login page's autofill cannot sign in before the password does.
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    await page.getByLabel('User', { exact: true }).fill(user.username);
    await page.getByLabel('Password', { exact: true }).fill('Blue-Harbour-Lamp-27');
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
    await page.getByRole('button', { name: 'Use your passkey' }).waitFor();
    await shot(page, '16-second-step-passkey');

    await page.goto(resetUrl);
    await page.reload();
    await page.getByRole('button', { name: 'Send me a new password' }).click();
    await page.getByRole('heading', { name: 'This link has already been used' }).waitFor();
    await shot(page, '10-link-used');
    await page.goto('/reset');
    await page.getByRole('heading', { name: 'This link is not valid' }).waitFor();
    await shot(page, '11-link-invalid');
    await context.close();

    const italian = await browser.newContext({ viewport: VIEWPORT, locale: 'it-IT', baseURL: stack.url });
    const pagina = await italian.newPage();
    await pagina.goto('/');
    await pagina.getByRole('button', { name: 'Accedi', exact: true }).click();
    await shot(pagina, '12-login-italian-errors');
    await pagina.goto('/request-credential');
    await shot(pagina, '13-request-credential-italian');
    await italian.close();

    const dark = await browser.newContext({
      viewport: VIEWPORT,
      locale: 'en-GB',
      colorScheme: 'dark',
      baseURL: stack.url,
    });
    const night = await dark.newPage();
    await night.goto('/forgot');
    await night.getByRole('button', { name: 'Send request' }).click();
    await shot(night, '14-forgot-dark');
    await dark.close();
  } finally {
    await browser.close();
    await stack.stop();
  }
  return readdirSync(SCREENSHOTS_DIR).sort();
}
