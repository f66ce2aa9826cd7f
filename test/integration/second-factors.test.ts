// Second factors over HTTP against the local stack (the handlers, DynamoDB, the local KMS, each
// function's IAM policy enforced): codes computed here from the secret the set-up hands out.

import { totpCode } from '../../lambdas/domain/second-factors';
import { runOps } from '../../ops/cli';
import { Browser, inbox, newUser, tableSnapshot, temporaryPasswordIn, tokenIn, waitForEmail } from './helpers';

jest.setTimeout(60_000);

/** Signs in with the password only (no factor yet) and sets up an authenticator. */
async function userWithAuthenticator() {
  const user = await newUser('mfa');
  const browser = new Browser();
  const signIn = await browser.call('POST', '/api/session', { username: user.username, password: user.password });
  expect(signIn.status).toBe(200);
  const start = await browser.call('POST', '/api/account/totp', {});
  expect(start.status).toBe(200);
  const secret = String(start.body.secret);
  expect(String(start.body.qrCode)).toMatch(/^data:image\/svg\+xml;base64,/);
  expect(Buffer.from(String(start.body.qrCode).split(',')[1] ?? '', 'base64').toString()).toContain('<svg');
  const confirm = await browser.call('POST', '/api/account/totp/confirm', { code: totpCode(secret, Date.now()) });
  expect(confirm.status).toBe(200);
  const recoveryCodes = confirm.body.recoveryCodes as string[];
  expect(recoveryCodes).toHaveLength(10);
  const notice = await waitForEmail(user.email, 'a change to how you sign in', 0);
  expect(notice.text).toContain('An authenticator app was set up');
  return { user, secret, recoveryCodes, browser };
}

/** A code of a step not yet spent: the set-up spent the current one. */
const nextCode = (secret: string) => totpCode(secret, Date.now() + 30_000);

describe('an account with an authenticator', () => {
  it('needs the code after the password; no session before it; the secret is not in the table', async () => {
    const { user, secret } = await userWithAuthenticator();
    const browser = new Browser();
    const password = await browser.call('POST', '/api/session', { username: user.username, password: user.password });
    expect(password.status).toBe(200);
    expect(password.body).toMatchObject({ challenge: 'SECOND_FACTOR', methods: ['totp', 'recovery'] });
    expect(browser.cookies.has('sa_session')).toBe(false);
    expect((await browser.call('GET', '/api/session')).status).toBe(401);

    const wrong = await browser.call('POST', '/api/session/second-factor', { method: 'totp', code: '000000' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('second_factor_invalid');

    const code = nextCode(secret);
    const right = await browser.call('POST', '/api/session/second-factor', { method: 'totp', code });
    expect(right.status).toBe(200);
    expect(browser.cookies.has('sa_session')).toBe(true);
    const account = await browser.call('GET', '/api/account');
    expect(account.body).toMatchObject({
      username: user.username,
      amr: ['pwd', 'otp'],
      factors: { totp: true, recoveryCodesLeft: 10, passkeys: 0 },
    });

    // The same code again, in a new sign-in: refused (replay).
    const other = new Browser();
    await other.call('POST', '/api/session', { username: user.username, password: user.password });
    const replay = await other.call('POST', '/api/session/second-factor', { method: 'totp', code });
    expect(replay.status).toBe(401);
    expect(replay.body.error).toBe('second_factor_invalid');

    expect((await tableSnapshot()).join('\n')).not.toContain(secret);
  });

  it('takes a recovery code once', async () => {
    const { user, recoveryCodes } = await userWithAuthenticator();
    const before = (await inbox()).length;
    const code = recoveryCodes[0] as string;
    const first = new Browser();
    await first.call('POST', '/api/session', { username: user.username, password: user.password });
    const used = await first.call('POST', '/api/session/second-factor', { method: 'recovery', code });
    expect(used.status).toBe(200);
    const second = new Browser();
    await second.call('POST', '/api/session', { username: user.username, password: user.password });
    const again = await second.call('POST', '/api/session/second-factor', { method: 'recovery', code });
    expect(again.status).toBe(401);
    // The owner hears of it, in the language the page asked in.
    const notice = await waitForEmail(user.email, 'a change to how you sign in', before);
    expect(notice.text).toContain('A recovery code was used to sign in.');
    expect((await first.call('GET', '/api/account')).body).toMatchObject({
      amr: ['pwd', 'mfa'],
      factors: { recoveryCodesLeft: 9 },
    });
  });

  it('still asks for the code after a password reset by email', async () => {
    const { user, secret } = await userWithAuthenticator();
    const browser = new Browser();
    const before = (await inbox()).length;
    expect((await browser.call('POST', '/api/password-reset', { login: user.username })).status).toBe(202);
    const token = tokenIn(await waitForEmail(user.email, 'reset your password', before));
    expect((await browser.call('POST', '/api/password-reset/confirm', { token })).status).toBe(200);
    const temporary = temporaryPasswordIn(await waitForEmail(user.email, 'your new password', before + 1));
    const signIn = await browser.call('POST', '/api/session', { username: user.username, password: temporary });
    expect(signIn.body.challenge).toBe('NEW_PASSWORD_REQUIRED');
    const chosen = await browser.call('POST', '/api/session/new-password', { newPassword: 'Quite-Another-Phrase-82' });
    expect(chosen.status).toBe(200);
    expect(chosen.body.challenge).toBe('SECOND_FACTOR');
    expect(browser.cookies.has('sa_session')).toBe(false);
    expect((await browser.call('GET', '/api/account')).status).toBe(401);
    const done = await browser.call('POST', '/api/session/second-factor', { method: 'totp', code: nextCode(secret) });
    expect(done.status).toBe(200);
    expect((await browser.call('GET', '/api/session')).status).toBe(200);
  });

  it('stops guessing at 10 wrong codes per account, whatever the source', async () => {
    const { user, secret } = await userWithAuthenticator();
    for (let i = 0; i < 10; i++) {
      const browser = new Browser();
      await browser.call('POST', '/api/session', { username: user.username, password: user.password });
      const wrong = await browser.call('POST', '/api/session/second-factor', { method: 'totp', code: '111111' });
      expect(wrong.status).toBe(401);
    }
    const browser = new Browser();
    await browser.call('POST', '/api/session', { username: user.username, password: user.password });
    const limited = await browser.call('POST', '/api/session/second-factor', {
      method: 'totp',
      code: nextCode(secret),
    });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('signs out elsewhere, keeping this session', async () => {
    const { user, secret, browser } = await userWithAuthenticator();
    const elsewhere = new Browser();
    await elsewhere.call('POST', '/api/session', { username: user.username, password: user.password });
    await elsewhere.call('POST', '/api/session/second-factor', { method: 'totp', code: nextCode(secret) });
    expect((await elsewhere.call('GET', '/api/session')).status).toBe(200);
    expect(((await browser.call('GET', '/api/account')).body.sessions as unknown[]).length).toBe(2);
    const revoked = await browser.call('POST', '/api/account/sessions/revoke', {});
    expect(revoked.body).toEqual({ ended: 1 });
    expect((await elsewhere.call('GET', '/api/session')).status).toBe(401);
    expect((await browser.call('GET', '/api/session')).status).toBe(200);
  });

  it('confirms a change in Italian when the page speaks Italian', async () => {
    const { user, browser } = await userWithAuthenticator();
    const before = (await inbox()).length;
    const renewed = await browser.call('POST', '/api/account/recovery-codes', {}, { 'accept-language': 'it' });
    expect(renewed.status).toBe(200);
    const notice = await waitForEmail(user.email, 'una modifica al tuo accesso', before);
    expect(notice.text).toContain('Sono stati creati nuovi codici di recupero');
  });

  it('removes the authenticator only with a current code', async () => {
    const { user, secret, browser } = await userWithAuthenticator();
    expect((await browser.call('POST', '/api/account/totp/remove', { code: '123456' })).status).toBe(401);
    const removed = await browser.call('POST', '/api/account/totp/remove', { code: nextCode(secret) });
    expect(removed.status).toBe(200);
    const again = new Browser();
    const signIn = await again.call('POST', '/api/session', { username: user.username, password: user.password });
    expect(signIn.body).toEqual({ username: user.username });
  });
});

describe('ops resets a lost factor', () => {
  async function ops(...argv: string[]) {
    const out: string[] = [];
    const file = process.env.SUPPORT_ACCESS_OPS_FILE ?? '';
    const code = await runOps([...argv, '--endpoints', file, '--by', 'integration'], {
      out: (line) => out.push(line),
      err: (line) => out.push(line),
    });
    return { code, out: out.join('\n') };
  }

  it('removes the factors, ends the sessions, emails the person and leaves an audit entry', async () => {
    const { user, browser } = await userWithAuthenticator();
    const before = (await inbox()).length;
    const reset = await ops('factors', 'reset', user.email, '--language', 'it');
    expect(reset.out).toContain(
      `Reset the second factors of ${user.username}: removed 11 item(s), ended 1 session(s).`,
    );
    expect(reset.code).toBe(0);
    expect((await browser.call('GET', '/api/session')).status).toBe(401);
    const notice = await waitForEmail(user.email, 'una modifica al tuo accesso', before);
    expect(notice.text).toContain('Il team di supporto ha rimosso i tuoi secondi fattori');
    const audit = (await tableSnapshot()).find((item) => item.includes(`"pk":"AUDIT#${user.username}"`));
    expect(audit).toContain('"by":"integration"');
    expect(audit).toContain('"action":"factors-reset"');
    // The password alone signs in again.
    const again = await new Browser().call('POST', '/api/session', {
      username: user.username,
      password: user.password,
    });
    expect(again.body).toEqual({ username: user.username });
  });

  it('says so for an unknown account and changes nothing', async () => {
    const result = await ops('factors', 'reset', 'nobody-at-all');
    expect(result.code).toBe(1);
    expect(result.out).toContain('No account has the username or email "nobody-at-all"');
  });
});
