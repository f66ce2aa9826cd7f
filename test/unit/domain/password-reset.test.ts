import {
  confirmPasswordReset,
  processResetRequest,
  requestPasswordReset,
} from '../../../lambdas/domain/password-reset';
import type { ResetTokenRecord } from '../../../lambdas/domain/ports';
import { hashToken, newToken } from '../../../lambdas/domain/secrets';
import {
  FakeClock,
  MemoryGenerations,
  MemoryMailer,
  MemoryQueue,
  MemoryRateCounter,
  MemorySessionStore,
  MemoryTemporaryPasswords,
  MemoryTokenStore,
  MemoryUserDirectory,
  silentLog,
  tokenFromLink,
} from '../../support/in-memory';

function setup() {
  const clock = new FakeClock();
  const users = new MemoryUserDirectory();
  users.add({ username: 'demo', email: 'demo@example.com', password: 'Old-Password-1' });
  users.add({ username: 'gone', email: 'gone@example.com', password: 'Old-Password-1', enabled: false });
  const tokens = new MemoryTokenStore();
  const mailer = new MemoryMailer();
  const counter = new MemoryRateCounter();
  const sessions = new MemorySessionStore();
  const generations = new MemoryGenerations();
  const worker = {
    users,
    counter,
    resetEmailLimit: { limit: 3, windowSeconds: 3600 },
    tokens,
    mailer,
    clock,
    log: silentLog,
    siteUrl: 'https://support.example.com',
    tokenMinutes: 30,
  };
  const temporaryPasswords = new MemoryTemporaryPasswords();
  const confirm = {
    users,
    generations,
    tokens,
    sessions,
    mailer,
    clock,
    log: silentLog,
    temporaryPasswords,
    temporaryPasswordMinutes: 60,
    waitForClaimMs: 0,
  };
  const request = (login: string) =>
    processResetRequest(
      { v: 1, language: 'en', login, requestedAt: clock.now(), sourceIp: '203.0.113.7', requestId: 'r1' },
      worker,
    );
  const lastToken = () => tokenFromLink(mailer.resetLinks.at(-1)?.resetUrl ?? '');
  return {
    generations,
    clock,
    users,
    tokens,
    mailer,
    worker,
    confirm,
    request,
    lastToken,
    temporaryPasswords,
    sessions,
    counter,
  };
}

describe('requesting a reset', () => {
  it('queues the normalised login with the source IP and does nothing else', async () => {
    const queue = new MemoryQueue();
    await requestPasswordReset(
      { language: 'en', login: '  Demo@Example.COM ', sourceIp: '203.0.113.7', requestId: 'r1' },
      { queue, clock: new FakeClock() },
    );
    expect(queue.messages).toEqual([
      expect.objectContaining({ v: 1, login: 'demo@example.com', sourceIp: '203.0.113.7', requestId: 'r1' }),
    ]);
  });

  it('queues an old link as its hash only, never the token itself', async () => {
    const queue = new MemoryQueue();
    const token = newToken();
    await requestPasswordReset(
      { language: 'en', token, sourceIp: 'ip', requestId: 'r' },
      { queue, clock: new FakeClock() },
    );
    expect(queue.messages[0]?.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(queue.messages)).not.toContain(token);
  });

  it('reports a queue failure as temporarily unavailable, so the user is asked to try again', async () => {
    const queue = new MemoryQueue();
    queue.failWith = new Error('throttled');
    await expect(
      requestPasswordReset(
        { language: 'en', login: 'demo', sourceIp: 'ip', requestId: 'r' },
        { queue, clock: new FakeClock() },
      ),
    ).rejects.toMatchObject({ code: 'temporarily_unavailable' });
  });
});

describe('the worker', () => {
  it('sends at most the per-account limit of emails, then answers nothing more', async () => {
    const { request, mailer, clock } = setup();
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await request(i % 2 ? 'demo' : 'demo@example.com'));
    expect(outcomes).toEqual(['sent', 'sent', 'sent', 'account_limit_reached', 'account_limit_reached']);
    expect(mailer.resetLinks).toHaveLength(3);
    clock.advance(3600_000);
    await expect(request('demo')).resolves.toBe('sent');
  });

  it('does not count a failed send against the account limit, so retries are not refused', async () => {
    const { request, mailer } = setup();
    for (let i = 0; i < 4; i++) {
      mailer.failNext = new Error('SES 500');
      await expect(request('demo')).rejects.toThrow('SES 500');
    }
    await expect(request('demo')).resolves.toBe('sent');
  });

  it('keeps sending when the rate counter is down: an outage must not lock users out', async () => {
    const { request, counter, mailer } = setup();
    counter.failWith = new Error('DynamoDB unavailable');
    await expect(request('demo')).resolves.toBe('sent');
    expect(mailer.resetLinks).toHaveLength(1);
  });

  it('emails a link for a known username or email, storing only the token hash with its expiry', async () => {
    const { request, mailer, tokens, lastToken, clock } = setup();
    await expect(request('demo@example.com')).resolves.toBe('sent');
    expect(mailer.resetLinks).toHaveLength(1);
    const email = mailer.resetLinks[0];
    expect(email).toMatchObject({ to: 'demo@example.com', username: 'demo', validMinutes: 30 });
    expect(email?.resetUrl).toMatch(/^https:\/\/support\.example\.com\/reset#token=[A-Za-z0-9_-]{43}$/);
    const stored = tokens.tokens.get(hashToken(lastToken()));
    expect(stored).toMatchObject({ username: 'demo', status: 'PENDING', expiresAt: clock.now() + 30 * 60_000 });
    expect(JSON.stringify([...tokens.tokens.values()])).not.toContain(lastToken());
  });

  it('sends nothing for an unknown or a disabled account', async () => {
    const { request, mailer, tokens } = setup();
    await expect(request('nobody@example.com')).resolves.toBe('no_account');
    await expect(request('gone')).resolves.toBe('account_disabled');
    expect(mailer.resetLinks).toHaveLength(0);
    expect(tokens.tokens.size).toBe(0);
  });

  it('revokes older pending links when a new one is sent: only the newest link lives', async () => {
    const { request, lastToken, confirm } = setup();
    await request('demo');
    const first = lastToken();
    await request('demo');
    const second = lastToken();
    await expect(confirmPasswordReset(first, 'en', confirm)).rejects.toMatchObject({ code: 'link_replaced' });
    await expect(confirmPasswordReset(second, 'en', confirm)).resolves.toEqual({ username: 'demo' });
  });

  it('a newer link revokes an older one left CLAIMED by a crashed confirm: its lapsed lease frees nothing', async () => {
    const { request, lastToken, confirm, tokens, clock } = setup();
    await request('demo');
    const first = lastToken();
    // A confirm claimed it, then its function died before finishing or releasing.
    await tokens.claim(hashToken(first), clock.now(), clock.now() + 60_000);
    await request('demo');
    expect(tokens.tokens.get(hashToken(first))?.status).toBe('REVOKED');
    clock.advance(61_000);
    await expect(confirmPasswordReset(first, 'en', confirm)).rejects.toMatchObject({ code: 'link_replaced' });
  });

  it('a completed reset revokes the user’s other links, CLAIMED ones too', async () => {
    const { request, lastToken, confirm, tokens, clock } = setup();
    await request('demo');
    const stuck = lastToken();
    clock.advance(1000);
    await request('demo');
    const newest = lastToken();
    // The older one was revoked at once; make a CLAIMED one the newest link could not see coming.
    tokens.tokens.set(hashToken(stuck), {
      ...(tokens.tokens.get(hashToken(stuck)) as ResetTokenRecord),
      status: 'CLAIMED',
      claimUntil: clock.now() + 60_000,
    });
    await confirmPasswordReset(newest, 'en', confirm);
    expect(tokens.tokens.get(hashToken(stuck))?.status).toBe('REVOKED');
  });

  it('moves the credential generation on once the password has changed', async () => {
    const { request, lastToken, confirm, generations, users } = setup();
    const seen: number[] = [];
    const set = users.setTemporaryPassword.bind(users);
    jest.spyOn(users, 'setTemporaryPassword').mockImplementation(async (username, password) => {
      seen.push(await generations.current('demo'));
      await set(username, password);
    });
    await request('demo');
    await confirmPasswordReset(lastToken(), 'en', confirm);
    expect(seen).toEqual([0]);
    expect(await generations.current('demo')).toBe(1);
  });

  it('sends a fresh link when asked from an old link, to the account that link belonged to', async () => {
    const { request, lastToken, worker, mailer, clock } = setup();
    await request('demo');
    const old = lastToken();
    clock.advance(31 * 60_000);
    const outcome = await processResetRequest(
      { v: 1, language: 'en', tokenHash: hashToken(old), requestedAt: clock.now(), sourceIp: 'ip', requestId: 'r2' },
      worker,
    );
    expect(outcome).toBe('sent');
    expect(mailer.resetLinks).toHaveLength(2);
    expect(lastToken()).not.toBe(old);
  });

  it('lets an email failure propagate, so the queue retries the request', async () => {
    const { request, mailer } = setup();
    mailer.failNext = new Error('SES throttled');
    await expect(request('demo')).rejects.toThrow('SES throttled');
  });
});

describe('confirming a reset', () => {
  it('sets a temporary password, emails it with the request time and IP, and spends the link', async () => {
    const { request, lastToken, confirm, users, mailer, tokens } = setup();
    await request('demo');
    const token = lastToken();
    await expect(confirmPasswordReset(token, 'en', confirm)).resolves.toEqual({ username: 'demo' });
    const user = users.users.get('demo');
    expect(user?.temporary).toBe(true);
    expect(mailer.newPasswords).toEqual([
      expect.objectContaining({ to: 'demo@example.com', temporaryPassword: user?.password, requestIp: '203.0.113.7' }),
    ]);
    expect(tokens.tokens.get(hashToken(token))?.status).toBe('USED');
    await expect(confirmPasswordReset(token, 'en', confirm)).rejects.toMatchObject({ code: 'link_used' });
    expect(mailer.newPasswords).toHaveLength(1);
  });

  it('records the temporary password as a hash with its lifetime, never the password itself', async () => {
    const { request, lastToken, confirm, temporaryPasswords, mailer, clock } = setup();
    await request('demo');
    await confirmPasswordReset(lastToken(), 'en', confirm);
    const entry = temporaryPasswords.entries.get('demo');
    const password = mailer.newPasswords[0]?.temporaryPassword ?? '';
    expect(entry).toMatchObject({ issuedAt: clock.now(), expiresAt: clock.now() + 60 * 60_000 });
    expect(entry?.passwordHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(entry)).not.toContain(password);
  });

  it('keeps the link usable when the temporary password cannot be recorded, and sends nothing', async () => {
    const { request, lastToken, confirm, temporaryPasswords, mailer, tokens } = setup();
    await request('demo');
    temporaryPasswords.failRecord = new Error('DynamoDB throttled');
    await expect(confirmPasswordReset(lastToken(), 'en', confirm)).rejects.toMatchObject({
      code: 'temporarily_unavailable',
    });
    expect(mailer.newPasswords).toHaveLength(0);
    expect(tokens.tokens.get(hashToken(lastToken()))?.status).toBe('PENDING');
  });

  it('refuses an expired link and changes nothing', async () => {
    const { request, lastToken, confirm, clock, users } = setup();
    await request('demo');
    clock.advance(30 * 60_000);
    await expect(confirmPasswordReset(lastToken(), 'en', confirm)).rejects.toMatchObject({ code: 'link_expired' });
    expect(users.users.get('demo')?.temporary).toBe(false);
  });

  it('refuses malformed and unknown links as invalid', async () => {
    const { confirm } = setup();
    await expect(confirmPasswordReset('not-a-token', 'en', confirm)).rejects.toMatchObject({ code: 'link_invalid' });
    await expect(confirmPasswordReset(newToken(), 'en', confirm)).rejects.toMatchObject({ code: 'link_invalid' });
  });

  it('keeps the link usable when the new-password email cannot be sent', async () => {
    const { request, lastToken, confirm, mailer, tokens } = setup();
    await request('demo');
    const token = lastToken();
    mailer.failNext = new Error('SES 500');
    await expect(confirmPasswordReset(token, 'en', confirm)).rejects.toMatchObject({ code: 'temporarily_unavailable' });
    expect(tokens.tokens.get(hashToken(token))?.status).toBe('PENDING');
    await expect(confirmPasswordReset(token, 'en', confirm)).resolves.toEqual({ username: 'demo' });
    expect(mailer.newPasswords).toHaveLength(1);
  });

  it('keeps the link usable when Cognito refuses to set the password', async () => {
    const { request, lastToken, confirm, users, mailer } = setup();
    await request('demo');
    users.failSetPassword = new Error('Cognito 500');
    await expect(confirmPasswordReset(lastToken(), 'en', confirm)).rejects.toMatchObject({
      code: 'temporarily_unavailable',
    });
    expect(mailer.newPasswords).toHaveLength(0);
    users.failSetPassword = undefined;
    await expect(confirmPasswordReset(lastToken(), 'en', confirm)).resolves.toEqual({ username: 'demo' });
  });

  it('answers "busy" while another request holds the link, and frees it when the lease lapses', async () => {
    const { request, lastToken, confirm, tokens, clock } = setup();
    await request('demo');
    const hash = hashToken(lastToken());
    await tokens.claim(hash, clock.now(), clock.now() + 60_000); // a confirm that crashed mid-way
    await expect(confirmPasswordReset(lastToken(), 'en', confirm)).rejects.toMatchObject({ code: 'link_busy' });
    clock.advance(61_000);
    await expect(confirmPasswordReset(lastToken(), 'en', confirm)).resolves.toEqual({ username: 'demo' });
  });

  it('lets exactly one of many concurrent confirms win; the others wait and hear "used"', async () => {
    const { request, lastToken, confirm, mailer } = setup();
    await request('demo');
    const patient = { ...confirm, waitForClaimMs: 5000 };
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => confirmPasswordReset(lastToken(), 'en', patient)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code: string }).code] : []));
    expect(codes).toEqual(Array(19).fill('link_used'));
    expect(mailer.newPasswords).toHaveLength(1);
  });

  it('takes over the link when the concurrent confirm it waited for gave it back', async () => {
    const { request, lastToken, confirm, mailer } = setup();
    await request('demo');
    mailer.failNext = new Error('SES 500');
    const patient = { ...confirm, waitForClaimMs: 5000 };
    const [first, second] = await Promise.allSettled([
      confirmPasswordReset(lastToken(), 'en', patient),
      confirmPasswordReset(lastToken(), 'en', patient),
    ]);
    expect(first).toMatchObject({ status: 'rejected', reason: { code: 'temporarily_unavailable' } });
    expect(second).toMatchObject({ status: 'fulfilled', value: { username: 'demo' } });
    expect(mailer.newPasswords).toHaveLength(1);
  });

  it('ends every session of the user and signs them out of Cognito before setting the password', async () => {
    const { request, lastToken, confirm, sessions, users } = setup();
    await sessions.createSession({
      hash: 'a',
      username: 'demo',
      createdAt: 0,
      expiresAt: Number.MAX_SAFE_INTEGER,
      generation: 0,
      lastSeenAt: 0,
    });
    await sessions.createSession({
      hash: 'b',
      username: 'demo',
      createdAt: 0,
      expiresAt: Number.MAX_SAFE_INTEGER,
      generation: 0,
      lastSeenAt: 0,
    });
    await sessions.createSession({
      hash: 'c',
      username: 'other',
      createdAt: 0,
      expiresAt: Number.MAX_SAFE_INTEGER,
      generation: 0,
      lastSeenAt: 0,
    });
    await request('demo');
    await confirmPasswordReset(lastToken(), 'en', confirm);
    expect([...sessions.sessions.keys()]).toEqual(['c']);
    expect(users.signedOutEverywhere).toEqual(['demo']);
  });

  it('changes no password and keeps the link when signing out everywhere fails', async () => {
    const { request, lastToken, confirm, users, mailer } = setup();
    await request('demo');
    users.failSignOut = new Error('Cognito 500');
    await expect(confirmPasswordReset(lastToken(), 'en', confirm)).rejects.toMatchObject({
      code: 'temporarily_unavailable',
    });
    expect(users.users.get('demo')?.temporary).toBe(false);
    expect(mailer.newPasswords).toHaveLength(0);
    users.failSignOut = undefined;
    await expect(confirmPasswordReset(lastToken(), 'en', confirm)).resolves.toEqual({ username: 'demo' });
  });
});

describe('a second link while the first is being confirmed', () => {
  it('the newest link wins: the confirm in flight sets no password, and the new link works', async () => {
    const { request, lastToken, confirm, users, mailer } = setup();
    await request('demo');
    const first = lastToken();
    // The second link is asked (and revokes the first) while the first's confirm ends sessions.
    const signOut = users.signOutEverywhere.bind(users);
    jest.spyOn(users, 'signOutEverywhere').mockImplementationOnce(async (username) => {
      await request('demo');
      await signOut(username);
    });
    await expect(confirmPasswordReset(first, 'en', confirm)).rejects.toMatchObject({ code: 'link_replaced' });
    expect(mailer.newPasswords).toHaveLength(0);
    expect(users.users.get('demo')?.temporary).toBe(false);
    await expect(confirmPasswordReset(lastToken(), 'en', confirm)).resolves.toEqual({ username: 'demo' });
  });

  it('a link asked after the confirm passed that point outlives the completed reset', async () => {
    const { request, lastToken, confirm, mailer, tokens } = setup();
    await request('demo');
    const first = lastToken();
    const send = mailer.sendNewPassword.bind(mailer);
    jest.spyOn(mailer, 'sendNewPassword').mockImplementationOnce(async (email) => {
      await send(email);
      await request('demo');
    });
    await confirmPasswordReset(first, 'en', confirm);
    const newest = lastToken();
    expect(tokens.tokens.get(hashToken(newest))?.status).toBe('PENDING');
    await expect(confirmPasswordReset(newest, 'en', confirm)).resolves.toEqual({ username: 'demo' });
  });
});
