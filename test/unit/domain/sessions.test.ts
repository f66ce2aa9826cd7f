import { hashTemporaryPassword } from '../../../lambdas/domain/secrets';
import { chooseNewPassword, currentSession, sessionState, signIn, signOut } from '../../../lambdas/domain/sessions';
import { memorySessionDeps } from '../../support/session-deps';

function setup() {
  const deps = memorySessionDeps();
  const { users, sessions, clock, temporaryPasswords, counter, generations } = deps;
  users.add({ username: 'demo', email: 'demo@example.com', password: 'Correct-Horse-42' });
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
  return { users, sessions, clock, deps, issue, temporaryPasswords, counter, generations };
}

describe('signing in', () => {
  it('starts a server-side session stored by hash only', async () => {
    const { deps, sessions } = setup();
    const result = await signIn('Demo', 'Correct-Horse-42', '203.0.113.7', deps);
    expect(result.kind).toBe('signed_in');
    if (result.kind !== 'signed_in') return;
    expect(result.session.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.session.maxAgeSeconds).toBe(3600);
    expect([...sessions.sessions.keys()]).not.toContain(result.session.value);
    await expect(currentSession(result.session.value, deps)).resolves.toMatchObject({ username: 'demo', amr: ['pwd'] });
  });

  it('signs in with the email address too', async () => {
    const { deps } = setup();
    await expect(signIn('DEMO@example.com', 'Correct-Horse-42', '203.0.113.7', deps)).resolves.toMatchObject({
      username: 'demo',
    });
  });

  it('gives one answer for a wrong password and an unknown user', async () => {
    const { deps } = setup();
    await expect(signIn('demo', 'wrong', '203.0.113.7', deps)).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(signIn('nobody', 'wrong', '203.0.113.7', deps)).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(signIn('nobody@example.com', 'wrong', '203.0.113.7', deps)).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
  });

  it('refuses a disabled account even with the right password (cognito-local would let it in)', async () => {
    const { deps, users } = setup();
    users.add({ username: 'gone', email: 'gone@example.com', password: 'Correct-Horse-42', enabled: false });
    jest.spyOn(users, 'signIn').mockResolvedValue({ kind: 'signed_in', username: 'gone' });
    await expect(signIn('gone', 'Correct-Horse-42', '203.0.113.7', deps)).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
  });

  it('asks the directory the same two questions for a known and an unknown login', async () => {
    const { deps, users } = setup();
    const find = jest.spyOn(users, 'findByLogin');
    const auth = jest.spyOn(users, 'signIn');
    await expect(signIn('nobody@example.com', 'x', '203.0.113.7', deps)).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    await expect(signIn('demo@example.com', 'x', '203.0.113.7', deps)).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(find).toHaveBeenCalledTimes(2);
    expect(auth).toHaveBeenCalledTimes(2);
  });

  it('ends the session when it expires', async () => {
    const { deps, clock } = setup();
    const result = await signIn('demo', 'Correct-Horse-42', '203.0.113.7', deps);
    if (result.kind !== 'signed_in') throw new Error('expected a session');
    clock.advance(60 * 60_000);
    await expect(currentSession(result.session.value, deps)).rejects.toMatchObject({ code: 'not_signed_in' });
  });

  it('signs out on the server: the old cookie value no longer works', async () => {
    const { deps } = setup();
    const result = await signIn('demo', 'Correct-Horse-42', '203.0.113.7', deps);
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
    await expect(signIn('demo', 'Temporary-Pass-99', '203.0.113.7', deps)).rejects.toMatchObject({
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
    await expect(signIn('demo', 'anything-at-all', '203.0.113.7', deps)).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    await expect(signIn('demo', 'Temporary-Pass-99', '203.0.113.7', deps)).resolves.toMatchObject({
      kind: 'new_password_required',
    });
  });

  it('is forgotten once the user has chosen their own password', async () => {
    const { deps, issue, temporaryPasswords } = setup();
    await issue('Temporary-Pass-99');
    const first = await signIn('demo', 'Temporary-Pass-99', '203.0.113.7', deps);
    if (first.kind !== 'new_password_required') throw new Error('expected a challenge');
    await chooseNewPassword(first.challenge.value, 'My-Own-Password-7', deps);
    expect(temporaryPasswords.entries.size).toBe(0);
  });

  it('leads to a challenge, then a policy-checked new password, then a session', async () => {
    const { deps, issue } = setup();
    await issue('Temporary-Pass-99');
    const first = await signIn('demo', 'Temporary-Pass-99', '203.0.113.7', deps);
    expect(first.kind).toBe('new_password_required');
    if (first.kind !== 'new_password_required') return;
    await expect(chooseNewPassword(first.challenge.value, 'weak', deps)).rejects.toMatchObject({
      code: 'password_policy',
      rules: ['min_length'],
    });
    const done = await chooseNewPassword(first.challenge.value, 'My-Own-Password-7', deps);
    expect(done).toMatchObject({ kind: 'signed_in', username: 'demo' });
    await expect(signIn('demo', 'My-Own-Password-7', '203.0.113.7', deps)).resolves.toMatchObject({
      kind: 'signed_in',
    });
  });

  it('refuses the new-password step without a live challenge', async () => {
    const { deps, issue, clock } = setup();
    await expect(chooseNewPassword(undefined, 'My-Own-Password-7', deps)).rejects.toMatchObject({
      code: 'challenge_expired',
    });
    await issue('Temporary-Pass-99');
    const first = await signIn('demo', 'Temporary-Pass-99', '203.0.113.7', deps);
    if (first.kind !== 'new_password_required') throw new Error('expected a challenge');
    clock.advance(181_000);
    await expect(chooseNewPassword(first.challenge.value, 'My-Own-Password-7', deps)).rejects.toMatchObject({
      code: 'challenge_expired',
    });
  });

  it('refuses the emailed password as the new password, and changes nothing', async () => {
    const { deps, issue, users, temporaryPasswords } = setup();
    await issue('Temporary-Pass-99');
    const first = await signIn('demo', 'Temporary-Pass-99', '203.0.113.7', deps);
    if (first.kind !== 'new_password_required') throw new Error('expected a challenge');
    const complete = jest.spyOn(users, 'completeNewPassword');
    await expect(chooseNewPassword(first.challenge.value, 'Temporary-Pass-99', deps)).rejects.toMatchObject({
      code: 'password_policy',
      rules: ['not_temporary'],
    });
    expect(complete).not.toHaveBeenCalled();
    expect(temporaryPasswords.entries.size).toBe(1);
    // The same challenge still works with a password of the user's own.
    await expect(chooseNewPassword(first.challenge.value, 'My-Own-Password-7', deps)).resolves.toMatchObject({
      kind: 'signed_in',
    });
  });

  it('fails closed: a temporary password without a record of its issue is refused', async () => {
    const { deps, users } = setup();
    // Set in the directory (as the console or a lost write would), with no record here.
    await users.setTemporaryPassword('demo', 'Temporary-Pass-99');
    await expect(signIn('demo', 'Temporary-Pass-99', '203.0.113.7', deps)).rejects.toMatchObject({
      code: 'temporary_password_expired',
    });
  });

  it('fails closed at the new-password step when the record has gone', async () => {
    const { deps, issue, temporaryPasswords } = setup();
    await issue('Temporary-Pass-99');
    const first = await signIn('demo', 'Temporary-Pass-99', '203.0.113.7', deps);
    if (first.kind !== 'new_password_required') throw new Error('expected a challenge');
    await temporaryPasswords.clear('demo');
    await expect(chooseNewPassword(first.challenge.value, 'My-Own-Password-7', deps)).rejects.toMatchObject({
      code: 'challenge_expired',
    });
  });

  it('refuses a new password containing the portal name, the username or the email local part', async () => {
    const { deps, users, temporaryPasswords, clock } = setup();
    users.add({ username: 'jane.doe', email: 'jdoe@example.com', password: 'Correct-Horse-42' });
    await users.setTemporaryPassword('jane.doe', 'Temporary-Pass-99');
    await temporaryPasswords.record({
      username: 'jane.doe',
      passwordHash: hashTemporaryPassword('jane.doe', 'Temporary-Pass-99'),
      issuedAt: clock.now(),
      expiresAt: clock.now() + 60 * 60_000,
    });
    const first = await signIn('jane.doe', 'Temporary-Pass-99', '203.0.113.7', deps);
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

describe('session lifetime (ASVS 5.0 chapter 7)', () => {
  const signedIn = async (deps: ReturnType<typeof setup>['deps'], replacing?: string) => {
    const result = await signIn('demo', 'Correct-Horse-42', '203.0.113.7', deps, replacing);
    if (result.kind !== 'signed_in') throw new Error('expected a session');
    return result.session.value;
  };

  it('ends a session left idle for 30 minutes; each use moves the deadline forward', async () => {
    const { deps, clock } = setup();
    deps.sessionMinutes = 8 * 60;
    const value = await signedIn(deps);
    for (let i = 0; i < 6; i++) {
      clock.advance(29 * 60_000);
      await expect(currentSession(value, deps)).resolves.toMatchObject({ username: 'demo' });
    }
    clock.advance(30 * 60_000);
    await expect(currentSession(value, deps)).rejects.toMatchObject({ code: 'not_signed_in' });
  });

  it('keeps the absolute lifetime (60 minutes here) however busy the session is', async () => {
    const { deps, clock } = setup();
    const value = await signedIn(deps);
    for (let i = 0; i < 3; i++) {
      clock.advance(14 * 60_000);
      await currentSession(value, deps);
    }
    clock.advance(14 * 60_000);
    await expect(currentSession(value, deps)).resolves.toMatchObject({ username: 'demo' });
    clock.advance(14 * 60_000);
    await expect(currentSession(value, deps)).rejects.toMatchObject({ code: 'not_signed_in' });
  });

  it('replaces the session the browser already had when it signs in again', async () => {
    const { deps } = setup();
    const first = await signedIn(deps);
    const second = await signedIn(deps, first);
    await expect(currentSession(first, deps)).rejects.toMatchObject({ code: 'not_signed_in' });
    await expect(currentSession(second, deps)).resolves.toMatchObject({ username: 'demo' });
  });

  it('ends every session issued before the credential generation moved on, even one whose record was missed', async () => {
    const { deps, generations } = setup();
    const value = await signedIn(deps);
    await generations.bump('demo');
    await expect(currentSession(value, deps)).rejects.toMatchObject({ code: 'not_signed_in' });
    const after = await signedIn(deps);
    await expect(currentSession(after, deps)).resolves.toMatchObject({ username: 'demo' });
  });

  it('a sign-in checked before a reset finished yields a dead session, even when written after', async () => {
    const { deps, users, generations } = setup();
    // The old password is checked, then the reset completes (generation moves on), then the session is written.
    const check = users.signIn.bind(users);
    jest.spyOn(users, 'signIn').mockImplementation(async (username, password) => {
      const outcome = await check(username, password);
      await generations.bump('demo');
      return outcome;
    });
    const value = await signedIn(deps);
    await expect(currentSession(value, deps)).rejects.toMatchObject({ code: 'not_signed_in' });
  });

  it('a challenge answered after a reset yields a dead session too', async () => {
    const { deps, issue, generations } = setup();
    await issue('Temporary-Pass-99');
    const first = await signIn('demo', 'Temporary-Pass-99', '203.0.113.7', deps);
    if (first.kind !== 'new_password_required') throw new Error('expected a challenge');
    await generations.bump('demo');
    const done = await chooseNewPassword(first.challenge.value, 'My-Own-Password-7', deps);
    if (done.kind !== 'signed_in') throw new Error('expected a session');
    await expect(currentSession(done.session.value, deps)).rejects.toMatchObject({ code: 'not_signed_in' });
  });
});

describe('where the browser stands (GET /api/session)', () => {
  it('signed in, half-way through a temporary-password sign-in, or neither', async () => {
    const { deps, issue } = setup();
    await expect(sessionState(undefined, undefined, deps)).rejects.toMatchObject({ code: 'not_signed_in' });
    await issue('Temporary-Pass-99');
    const first = await signIn('demo', 'Temporary-Pass-99', '203.0.113.7', deps);
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
