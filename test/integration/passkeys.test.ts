// Passkeys over HTTP against the local stack (the handlers as bundles, DynamoDB, each function's IAM
// policy enforced), answered by a software authenticator: registration on the account page, sign-in
// without a password, the second step after one, removal, and what must be refused.
import { runOps } from '../../ops/cli';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { ageSession, Browser, baseUrl, inbox, newUser, tableSnapshot, waitForEmail } from './helpers';

jest.setTimeout(60_000);

type Options = Parameters<SoftAuthenticator['register']>[0];
type RequestOptions = Parameters<SoftAuthenticator['authenticate']>[0];

async function signedIn() {
  const user = await newUser('passkey');
  const browser = new Browser();
  const signIn = await browser.call('POST', '/api/session', { username: user.username, password: user.password });
  expect(signIn.status).toBe(200);
  return { user, browser };
}

async function addPasskey(browser: Browser, authenticator: SoftAuthenticator, name: string) {
  const options = await browser.call('POST', '/api/account/passkeys/options', {});
  expect(options.status).toBe(200);
  const response = await authenticator.register(options.body.options as Options, baseUrl());
  return browser.call('POST', '/api/account/passkeys', { name, response });
}

async function passwordless(browser: Browser, authenticator: SoftAuthenticator) {
  const options = await browser.call('POST', '/api/session/passkey/options', {});
  expect(options.status).toBe(200);
  const response = await authenticator.authenticate(options.body.options as RequestOptions, baseUrl());
  return browser.call('POST', '/api/session/passkey', { response });
}

describe('passkeys', () => {
  it('are added on the account page, named, listed, and each addition is confirmed by email', async () => {
    const { user, browser } = await signedIn();
    const before = (await inbox()).length;
    const laptop = new SoftAuthenticator();
    const added = await addPasskey(browser, laptop, '  Work laptop ');
    expect(added.status).toBe(201);
    expect(added.body.passkey).toMatchObject({ id: laptop.credentials[0]?.id, name: 'Work laptop', synced: true });
    const notice = await waitForEmail(user.email, 'a change to how you sign in', before);
    expect(notice.text).toContain('A passkey was added to your account: Work laptop.');

    const key = new SoftAuthenticator({ backedUp: false });
    expect((await addPasskey(browser, key, 'Security key')).status).toBe(201);
    const account = await browser.call('GET', '/api/account');
    expect(account.body.factors).toMatchObject({ passkeys: 2 });
    expect((account.body.passkeys as { name: string; synced: boolean }[]).map((p) => [p.name, p.synced])).toEqual([
      ['Security key', false],
      ['Work laptop', true],
    ]);
    expect(Number(account.body.passkeyChangesUntil)).toBeGreaterThan(Date.now());
    // The same authenticator again: the options exclude it, so the browser refuses.
    const again = await browser.call('POST', '/api/account/passkeys/options', {});
    await expect(laptop.register(again.body.options as Options, baseUrl())).rejects.toThrow();
  });

  it('sign in without the password; a replayed answer or a removed passkey is refused', async () => {
    const { user, browser } = await signedIn();
    const authenticator = new SoftAuthenticator();
    const added = await addPasskey(browser, authenticator, 'Phone');
    const id = (added.body.passkey as { id: string }).id;

    const visitor = new Browser();
    const options = await visitor.call('POST', '/api/session/passkey/options', {});
    expect(options.body.options).toMatchObject({ userVerification: 'required' });
    expect((options.body.options as { allowCredentials?: unknown[] }).allowCredentials ?? []).toEqual([]);
    const response = await authenticator.authenticate(options.body.options as RequestOptions, baseUrl());
    const signIn = await visitor.call('POST', '/api/session/passkey', { response });
    expect(signIn.status).toBe(200);
    expect(signIn.body).toEqual({ username: user.username });
    expect(visitor.cookies.has('sa_session')).toBe(true);
    const account = await visitor.call('GET', '/api/account');
    expect(account.body).toMatchObject({ amr: ['swk', 'mfa'] });
    expect((account.body.passkeys as { lastUsedAt?: number }[])[0]?.lastUsedAt).toBeGreaterThan(0);

    const replay = await new Browser().call('POST', '/api/session/passkey', { response });
    expect(replay.status).toBe(401);
    expect(replay.body.error).toBe('passkey_invalid');

    const before = (await inbox()).length;
    const removed = await browser.call('POST', '/api/account/passkeys/remove', { id });
    expect(removed.status).toBe(200);
    expect((await waitForEmail(user.email, 'a change to how you sign in', before)).text).toContain(
      'A passkey was removed from your account: Phone.',
    );
    expect((await browser.call('POST', '/api/account/passkeys/remove', { id })).body.error).toBe('passkey_not_found');
    const gone = await passwordless(new Browser(), authenticator);
    expect(gone.status).toBe(401);
    expect(gone.body.error).toBe('passkey_invalid');
  });

  it('take one answer per ceremony even when sent at once, and refuse a counter that went back', async () => {
    const { browser } = await signedIn();
    const authenticator = new SoftAuthenticator({ countSignatures: true });
    await addPasskey(browser, authenticator, 'Security key');
    const options = await new Browser().call('POST', '/api/session/passkey/options', {});
    const response = await authenticator.authenticate(options.body.options as RequestOptions, baseUrl());
    const racing = await Promise.all(
      Array.from({ length: 5 }, () => new Browser().call('POST', '/api/session/passkey', { response })),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);

    // Two answers signed in order; the later one is used first: the earlier one's counter is behind.
    const first = await authenticator.authenticate(
      (await new Browser().call('POST', '/api/session/passkey/options', {})).body.options as RequestOptions,
      baseUrl(),
    );
    const second = await authenticator.authenticate(
      (await new Browser().call('POST', '/api/session/passkey/options', {})).body.options as RequestOptions,
      baseUrl(),
    );
    expect((await new Browser().call('POST', '/api/session/passkey', { response: second })).status).toBe(200);
    const cloned = await new Browser().call('POST', '/api/session/passkey', { response: first });
    expect(cloned.status).toBe(401);
    expect(cloned.body.error).toBe('passkey_invalid');
  });

  it('are asked for as the second step after the password, including after nothing else is set up', async () => {
    const { user, browser } = await signedIn();
    const authenticator = new SoftAuthenticator({ backedUp: false });
    await addPasskey(browser, authenticator, 'Security key');

    const next = new Browser();
    const password = await next.call('POST', '/api/session', { username: user.username, password: user.password });
    expect(password.body).toMatchObject({ challenge: 'SECOND_FACTOR', methods: ['passkey'] });
    expect(next.cookies.has('sa_session')).toBe(false);
    const options = await next.call('POST', '/api/session/passkey/options', { secondStep: true });
    expect(options.status).toBe(200);
    expect(options.body.methods).toEqual(['passkey']);
    const allowed = (options.body.options as { allowCredentials: { id: string }[] }).allowCredentials;
    expect(allowed.map((c) => c.id)).toEqual([authenticator.credentials[0]?.id]);
    const response = await authenticator.authenticate(options.body.options as RequestOptions, baseUrl());
    const done = await next.call('POST', '/api/session/second-factor', { method: 'passkey', response });
    expect(done.status).toBe(200);
    expect((await next.call('GET', '/api/account')).body).toMatchObject({ amr: ['pwd', 'hwk'] });

    // Without a right password first there is no step to answer.
    const stranger = new Browser();
    const noStep = await stranger.call('POST', '/api/session/passkey/options', { secondStep: true });
    expect(noStep.status).toBe(401);
    expect(noStep.body.error).toBe('second_step_expired');
  });

  it('cannot be added or removed by a sign-in older than 10 minutes, nor by an idle session', async () => {
    const { browser } = await signedIn();
    const authenticator = new SoftAuthenticator();
    const id = ((await addPasskey(browser, authenticator, 'Phone')).body.passkey as { id: string }).id;
    const cookie = browser.cookies.get('sa_session') as string;
    await ageSession(cookie, { signedInMs: 11 * 60_000 });
    const add = await browser.call('POST', '/api/account/passkeys/options', {});
    expect(add.status).toBe(403);
    expect(add.body.error).toBe('reauthentication_required');
    const remove = await browser.call('POST', '/api/account/passkeys/remove', { id });
    expect(remove.status).toBe(403);
    expect((await browser.call('GET', '/api/account')).body.passkeys).toHaveLength(1);

    await ageSession(cookie, { idleMs: 31 * 60_000 });
    expect((await browser.call('POST', '/api/account/passkeys/options', {})).status).toBe(401);
  });

  it('refuse malformed answers and names with a clear error, and change nothing', async () => {
    const { browser } = await signedIn();
    const before = await tableSnapshot();
    const bad = await browser.call('POST', '/api/session/passkey', { response: { id: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_request');
    const options = await browser.call('POST', '/api/account/passkeys/options', {});
    const response = await new SoftAuthenticator().register(options.body.options as Options, baseUrl());
    const badName = await browser.call('POST', '/api/account/passkeys', { name: '<b>Laptop</b>', response });
    expect(badName.status).toBe(400);
    expect(String(badName.body.message)).toContain("a passkey's name cannot contain");
    const elsewhere = await new SoftAuthenticator().register(
      (await browser.call('POST', '/api/account/passkeys/options', {})).body.options as Options,
      'https://evil.example',
    );
    const phished = await browser.call('POST', '/api/account/passkeys', { name: 'Laptop', response: elsewhere });
    expect(phished.status).toBe(401);
    expect(phished.body.error).toBe('passkey_invalid');
    const after = await tableSnapshot();
    // Only the ceremonies' challenges came and went (two unanswered ones remain, until their TTL).
    const changed = after.filter((item) => !before.includes(item) && !item.includes('"pk":"WEBAUTHN#'));
    expect(changed.filter((item) => !item.includes('"pk":"SESSION#'))).toEqual([]);
  });

  it('stop working when ops disables the account, and go with an ops reset of the factors', async () => {
    const { user, browser } = await signedIn();
    const authenticator = new SoftAuthenticator();
    await addPasskey(browser, authenticator, 'Phone');
    const ops = async (...argv: string[]) => {
      const file = process.env.SUPPORT_ACCESS_OPS_FILE ?? '';
      return runOps([...argv, '--endpoints', file, '--by', 'integration'], { out: () => {}, err: () => {} });
    };
    expect(await ops('disable', user.username)).toBe(0);
    expect((await passwordless(new Browser(), authenticator)).status).toBe(401);
    expect(await ops('enable', user.username)).toBe(0);
    expect((await passwordless(new Browser(), authenticator)).status).toBe(200);
    expect(await ops('factors', 'reset', user.username)).toBe(0);
    expect((await passwordless(new Browser(), authenticator)).status).toBe(401);
    const left = (await tableSnapshot()).filter((item) => item.includes(authenticator.credentials[0]?.id ?? '?'));
    expect(left).toEqual([]);
  });
});
