import { hashTemporaryPassword } from '../../../lambdas/domain/secrets';
import { chooseNewPassword, currentSession, sessionState, signIn, signOut } from '../../../lambdas/domain/sessions';
import {
  FakeClock,
  MemoryRateCounter,
  MemorySessionStore,
  MemoryTemporaryPasswords,
  MemoryUserDirectory,
  silentLog,
} from '../../support/in-memory';

function setup() {
  const users = new MemoryUserDirectory();
  users.add({ username: 'demo', email: 'demo@example.com', password: 'Correct-Horse-42' });
  const sessions = new MemorySessionStore();
  const clock = new FakeClock();
  const temporaryPasswords = new MemoryTemporaryPasswords();
  const counter = new MemoryRateCounter();
  const deps = {
    users,
    counter,
    signInLimit: { limit: 10, windowSeconds: 900 },
    sessions,
    temporaryPasswords,
    clock,
    log: silentLog,
    sessionMinutes: 60,
    challengeSeconds: 180,
    contextWords: ['IMS', 'SUPPORT'],
    portalName: 'IMS SUPPORT',
  };
  /** As a reset does: a temporary password in the directory and its record here. */
  const issue = async (password: string, minutes = 60) => {
    await users.setTemporaryPassword('demo', password);
    await temporaryPasswords.record({
      username: 'demo',
      passwordHash: hashTemporaryPassword('demo', password),
      issuedAt: clock.now(),
      expiresAt: clock.now() + minutes * 60_000,
    });
  };
  return { users, sessions, clock, deps, issue, temporaryPasswords, counter };
}

describe('signing in', () => {
  it('starts a server-side session stored by hash only', async () => {
    const { deps, sessions } = setup();
    const result = await signIn('Demo', 'Correct-Horse-42', deps);
    expect(result.kind).toBe('signed_in');
    if (result.kind !== 'signed_in') return;
    expect(result.session.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.session.maxAgeSeconds).toBe(3600);
    expect([...sessions.sessions.keys()]).not.toContain(result.session.value);
    await expect(currentSession(result.session.value, deps)).resolves.toEqual({ username: 'demo' });
  });

  it('signs in with the email address too', async () => {
    const { deps } = setup();
    await expect(signIn('DEMO@example.com', 'Correct-Horse-42', deps)).resolves.toMatchObject({ username: 'demo' });
  });

  it('gives one answer for a wrong password and an unknown user', async () => {
    const { deps } = setup();
    await expect(signIn('demo', 'wrong', deps)).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(signIn('nobody', 'wrong', deps)).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(signIn('nobody@example.com', 'wrong', deps)).rejects.toMatchObject({ code: 'invalid_credentials' });
  });

  it('refuses a disabled account even with the right password (cognito-local would let it in)', async () => {
    const { deps, users } = setup();
    users.add({ username: 'gone', email: 'gone@example.com', password: 'Correct-Horse-42', enabled: false });
    jest.spyOn(users, 'signIn').mockResolvedValue({ kind: 'signed_in', username: 'gone' });
    await expect(signIn('gone', 'Correct-Horse-42', deps)).rejects.toMatchObject({ code: 'invalid_credentials' });
  });

  it('asks the directory the same two questions for a known and an unknown login', async () => {
    const { deps, users } = setup();
    const find = jest.spyOn(users, 'findByLogin');
    const auth = jest.spyOn(users, 'signIn');
    await expect(signIn('nobody@example.com', 'x', deps)).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(signIn('demo@example.com', 'x', deps)).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(find).toHaveBeenCalledTimes(2);
    expect(auth).toHaveBeenCalledTimes(2);
  });

  it('ends the session when it expires', async () => {
    const { deps, clock } = setup();
    const result = await signIn('demo', 'Correct-Horse-42', deps);
    if (result.kind !== 'signed_in') throw new Error('expected a session');
    clock.advance(60 * 60_000);
    await expect(currentSession(result.session.value, deps)).rejects.toMatchObject({ code: 'not_signed_in' });
  });

  it('signs out on the server: the old cookie value no longer works', async () => {
    const { deps } = setup();
    const result = await signIn('demo', 'Correct-Horse-42', deps);
    if (result.kind !== 'signed_in') throw new Error('expected a session');
    await signOut(result.session.value, deps);
    await expect(currentSession(result.session.value, deps)).rejects.toMatchObject({ code: 'not_signed_in' });
    await expect(signOut(result.session.value, deps)).resolves.toBeUndefined();
  });
});

describe('a temporary password', () => {
  it('works only within its lifetime, then points to "Forgot your password?"', async () => {
    const { deps, issue, clock } = setup();
    await issue('Temporary-Pass-99');
    clock.advance(60 * 60_000);
    await expect(signIn('demo', 'Temporary-Pass-99', deps)).rejects.toMatchObject({
      code: 'temporary_password_expired',
    });
  });

  it('is refused when it is not the one issued, even if the directory would accept it', async () => {
    const { deps, issue, users } = setup();
    await issue('Temporary-Pass-99');
    // A directory that (like cognito-local) does not check the password of a user who must change it.
    jest
      .spyOn(users, 'signIn')
      .mockResolvedValue({ kind: 'new_password_required', username: 'demo', challengeSession: 's' });
    await expect(signIn('demo', 'anything-at-all', deps)).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(signIn('demo', 'Temporary-Pass-99', deps)).resolves.toMatchObject({ kind: 'new_password_required' });
  });

  it('is forgotten once the user has chosen their own password', async () => {
    const { deps, issue, temporaryPasswords } = setup();
    await issue('Temporary-Pass-99');
    const first = await signIn('demo', 'Temporary-Pass-99', deps);
    if (first.kind !== 'new_password_required') throw new Error('expected a challenge');
    await chooseNewPassword(first.challenge.value, 'My-Own-Password-7', deps);
    expect(temporaryPasswords.entries.size).toBe(0);
  });

  it('leads to a challenge, then a policy-checked new password, then a session', async () => {
    const { deps, users } = setup();
    await users.setTemporaryPassword('demo', 'Temporary-Pass-99');
    const first = await signIn('demo', 'Temporary-Pass-99', deps);
    expect(first.kind).toBe('new_password_required');
    if (first.kind !== 'new_password_required') return;
    await expect(chooseNewPassword(first.challenge.value, 'weak', deps)).rejects.toMatchObject({
      code: 'password_policy',
      rules: ['min_length'],
    });
    const done = await chooseNewPassword(first.challenge.value, 'My-Own-Password-7', deps);
    expect(done).toMatchObject({ kind: 'signed_in', username: 'demo' });
    await expect(signIn('demo', 'My-Own-Password-7', deps)).resolves.toMatchObject({ kind: 'signed_in' });
  });

  it('refuses the new-password step without a live challenge', async () => {
    const { deps, users, clock } = setup();
    await expect(chooseNewPassword(undefined, 'My-Own-Password-7', deps)).rejects.toMatchObject({
      code: 'challenge_expired',
    });
    await users.setTemporaryPassword('demo', 'Temporary-Pass-99');
    const first = await signIn('demo', 'Temporary-Pass-99', deps);
    if (first.kind !== 'new_password_required') throw new Error('expected a challenge');
    clock.advance(181_000);
    await expect(chooseNewPassword(first.challenge.value, 'My-Own-Password-7', deps)).rejects.toMatchObject({
      code: 'challenge_expired',
    });
  });

  it('refuses a new password containing the portal name, the username or the email local part', async () => {
    const { deps, users } = setup();
    users.add({ username: 'jane.doe', email: 'jdoe@example.com', password: 'Correct-Horse-42' });
    await users.setTemporaryPassword('jane.doe', 'Temporary-Pass-99');
    const first = await signIn('jane.doe', 'Temporary-Pass-99', deps);
    if (first.kind !== 'new_password_required') throw new Error('expected a challenge');
    expect(first.emailLocalPart).toBe('jdoe');
    for (const password of ['IMS SUPPORT jane.doe', 'Battery-JDOE-Staple-9', 'staple ims support horse']) {
      await expect(chooseNewPassword(first.challenge.value, password, deps)).rejects.toMatchObject({
        code: 'password_policy',
        rules: expect.arrayContaining(['no_context_words']),
      });
    }
    await expect(chooseNewPassword(first.challenge.value, 'Correct-Horse-Staple-7', deps)).resolves.toMatchObject({
      kind: 'signed_in',
    });
  });
});

describe('where the browser stands (GET /api/session)', () => {
  it('signed in, half-way through a temporary-password sign-in, or neither', async () => {
    const { deps, users } = setup();
    await expect(sessionState(undefined, undefined, deps)).rejects.toMatchObject({ code: 'not_signed_in' });
    await users.setTemporaryPassword('demo', 'Temporary-Pass-99');
    const first = await signIn('demo', 'Temporary-Pass-99', deps);
    if (first.kind !== 'new_password_required') throw new Error('expected a challenge');
    await expect(sessionState(undefined, first.challenge.value, deps)).resolves.toEqual({
      kind: 'new_password_required',
      username: 'demo',
      emailLocalPart: 'demo',
    });
    const done = await chooseNewPassword(first.challenge.value, 'My-Own-Password-7', deps);
    if (done.kind !== 'signed_in') throw new Error('expected a session');
    // The spent challenge no longer counts; the session does.
    await expect(sessionState(undefined, first.challenge.value, deps)).rejects.toMatchObject({ code: 'not_signed_in' });
    await expect(sessionState(done.session.value, first.challenge.value, deps)).resolves.toEqual({
      kind: 'signed_in',
      username: 'demo',
    });
  });
});
