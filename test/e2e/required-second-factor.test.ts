// A portal that requires a second factor (REQUIRE_SECOND_FACTOR=true), in a browser: a person
// without one sets one up during the sign-in, and a passkey does it. This file starts its own local
// stack with that setting (the suite's shared stack runs without it).
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { BrowserContext } from 'playwright-core';
import { securityChangeText } from '../../lambdas/definitions/second-factors';
import { newTemporaryPassword } from '../../lambdas/domain/secrets';
import { createUser } from '../../local/bootstrap';
import { type LocalStack, readInbox, startLocalStack } from '../../local/local-stack';
import { catalogue, format } from '../../static-site/src/messages';
import { expectAccessible, useBrowser } from './support/helpers';
import { addPlatformAuthenticator, virtualAuthenticators } from './support/webauthn';

jest.setTimeout(180_000);

const browser = useBrowser();
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, queueRetryDelayMs: 200, env: { REQUIRE_SECOND_FACTOR: 'true' } });
}, 170_000);

afterAll(async () => {
  await stack?.stop();
});

describe.each([
  ['en-GB', 'en'],
  ['it-IT', 'it'],
] as const)('the required set-up in %s', (locale, lang) => {
  const t = { ...catalogue[lang].page, ...catalogue[lang].script };

  it('offers a passkey first, and its first passkey finishes the sign-in', async () => {
    const user = {
      username: `required-${lang}`,
      email: `required-${lang}@example.com`,
      password: newTemporaryPassword(),
    };
    const cognito = new CognitoIdentityProviderClient({
      endpoint: stack.endpoints.cognito,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    await createUser(cognito, stack.bootstrapped.userPoolId, user);
    cognito.destroy();
    const context: BrowserContext = await browser().newContext({
      locale,
      baseURL: stack.url,
      viewport: { width: 412, height: 823 },
    });
    const errors: string[] = [];
    context.on('weberror', (error) => errors.push(error.error().message));
    const page = await context.newPage();
    const cdp = await virtualAuthenticators(context, page);

    await page.goto('/');
    await page.locator('#username').fill(user.username);
    await page.locator('#password').fill(user.password);
    await page.getByRole('button', { name: t['login.submit'], exact: true }).click();
    await page.waitForURL('**/second-step?setup');
    await page.getByRole('heading', { level: 2, name: t['secondStep.setup.passkeyHeading'] }).waitFor();
    // The authenticator app stays on offer below it.
    await page.locator('.secret').waitFor();
    await expectAccessible(page, `required set-up with a passkey (${lang})`);

    // The person cannot verify at first: nothing is added, and the page says so calmly.
    const authenticatorId = await addPlatformAuthenticator(cdp, { isUserVerified: false });
    await page.getByRole('button', { name: t['secondStep.setup.passkeySubmit'] }).click();
    await page.locator('#notice', { hasText: t['account.passkeys.cancelled'] }).waitFor();
    await expectAccessible(page, `required set-up, passkey cancelled (${lang})`);

    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
    await page.getByLabel(t['account.passkeys.name']).fill('Office PC');
    await page.getByRole('button', { name: t['secondStep.setup.passkeySubmit'] }).click();
    await page.waitForURL('**/signed-in');
    await page.locator('#who', { hasText: format(t['signedIn.as'], { username: user.username }) }).waitFor();
    await stack.queue.idle();
    const emails = (await readInbox(stack.sesUrl)).filter((email) => email.to === user.email);
    expect(emails.map((email) => email.text).join('\n')).toContain(
      format(securityChangeText.passkey_added[lang], { name: 'Office PC' }),
    );
    expect(errors).toEqual([]);
    await context.close();
  });
});
