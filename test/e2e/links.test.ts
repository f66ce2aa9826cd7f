// Links that cannot be used, as a person meets them: expired, replaced by a newer one, malformed or
// cut short. Each gets its own page, and where it makes sense one click asks for a new link.
import {
  expectAccessible,
  expireToken,
  newUser,
  nthEmail,
  requestLink,
  tokenIn,
  useBrowser,
  visit,
} from './support/helpers';

jest.setTimeout(60_000);

const browser = useBrowser();

describe('a reset link that cannot be used', () => {
  it('says an expired link has expired, and one click emails a new one that works', async () => {
    const user = await newUser('expired');
    await requestLink(user.username);
    const token = tokenIn(await nthEmail(user.email, 1));
    await expireToken(token);

    const { context, page, problems } = await visit(browser());
    await page.goto(`/reset#token=${token}`);
    // Opening the page changes nothing; only the button spends (or here, tries) the link.
    await page.getByRole('button', { name: 'Send me a new password' }).click();
    await page.getByRole('heading', { name: 'This link has expired' }).waitFor();
    await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('H1');
    await expectAccessible(page, 'the reset page, link expired');

    await page.getByRole('button', { name: 'Email me a new link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await expect(page.locator('#new-link-message').textContent()).resolves.toMatch(/we have sent a new link/);

    const fresh = tokenIn(await nthEmail(user.email, 2));
    expect(fresh).not.toBe(token);
    await page.goto(`/reset#token=${fresh}`);
    await page.reload();
    await page.getByRole('button', { name: 'Send me a new password' }).click();
    await page.getByRole('heading', { name: 'New password sent via mail' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says an older link was replaced by a newer one', async () => {
    const user = await newUser('replaced');
    await requestLink(user.email);
    const first = tokenIn(await nthEmail(user.email, 1));
    await requestLink(user.email);
    await nthEmail(user.email, 2);

    const { context, page, problems } = await visit(browser());
    await page.goto(`/reset#token=${first}`);
    await page.getByRole('button', { name: 'Send me a new password' }).click();
    await page.getByRole('heading', { name: 'A newer link was sent' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it.each([
    ['cut short', '/reset#token=AbC123'],
    ['missing', '/reset'],
    ['with a foreign character', `/reset#token=${'A'.repeat(42)}%`],
  ])('says a %s link is not valid without asking the server, and points to a new one', async (_name, path) => {
    const { context, page, problems } = await visit(browser());
    let apiCalls = 0;
    await page.route('**/api/**', (route) => {
      apiCalls++;
      return route.continue();
    });
    await page.goto(path);
    await page.getByRole('heading', { name: 'This link is not valid' }).waitFor();
    await expect(page.title()).resolves.toBe('This link is not valid · IMS SUPPORT');
    await page.getByRole('link', { name: 'Ask for a new link' }).click();
    await page.waitForURL('**/forgot');
    expect(apiCalls).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says a well-formed but unknown link is not valid, after asking the server', async () => {
    const { context, page } = await visit(browser());
    await page.goto(`/reset#token=${'Q'.repeat(43)}`);
    await page.getByRole('button', { name: 'Send me a new password' }).click();
    await page.getByRole('heading', { name: 'This link is not valid' }).waitFor();
    await context.close();
  });
});
