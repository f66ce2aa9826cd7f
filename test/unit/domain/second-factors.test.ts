// Second factors in the domain: authenticator codes computed here from the secret the enrolment
// handed out, replay, clock drift, the failure limit, recovery codes, and the sign-in and reset
// paths that must still ask for the factor.

import {
  beginTotpEnrolment,
  confirmTotpEnrolment,
  regenerateRecoveryCodes,
  totpCode,
} from '../../../lambdas/domain/second-factors';
import { hashTemporaryPassword } from '../../../lambdas/domain/secrets';
import {
  chooseNewPassword,
  completeEnrolmentStep,
  completeSecondStep,
  currentSession,
  enrolmentStepUser,
  signIn,
} from '../../../lambdas/domain/sessions';
import { memorySessionDeps } from '../../support/session-deps';

const PASSWORD = 'Correct-Horse-42';
const IP = '203.0.113.7';

function setup() {
  const deps = memorySessionDeps();
  deps.users.add({ username: 'demo', email: 'demo@example.com', password: PASSWORD });
  return deps;
}

type Deps = ReturnType<typeof setup>;

/** Enrols an authenticator for demo as the account page would; returns the secret and codes. */
async function enrol(deps: Deps) {
  const { secret, uri } = await beginTotpEnrolment('demo', deps);
  const { recoveryCodes } = await confirmTotpEnrolment('demo', totpCode(secret, deps.clock.now()), deps);
  // The next code must be of a later step than the confirming one.
  deps.clock.advance(30_000);
  return { secret, uri, recoveryCodes };
}

async function passwordStep(deps: Deps) {
  const result = await signIn('demo', PASSWORD, IP, deps);
  if (result.kind !== 'second_factor_required') throw new Error(`expected the second step, got ${result.kind}`);
  return result;
}

describe('authenticator enrolment', () => {
  it('hands out a secret and an otpauth URI, seals the secret and confirms with a first code', async () => {
    const deps = setup();
    const { secret, uri } = await beginTotpEnrolment('demo', deps);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toMatch(/^otpauth:\/\/totp\/IMS%20SUPPORT:demo\?/);
    expect(uri).toContain(`secret=${secret}`);
    const stored = deps.factors.totp.get('demo');
    expect(stored?.confirmed).toBe(false);
    expect(stored?.sealedSecret).not.toContain(secret);
    // Not a factor until confirmed: sign-in still needs only the password.
    await expect(signIn('demo', PASSWORD, IP, deps)).resolves.toMatchObject({ kind: 'signed_in' });

    const { recoveryCodes } = await confirmTotpEnrolment('demo', totpCode(secret, deps.clock.now()), deps);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(deps.factors.totp.get('demo')?.confirmed).toBe(true);
    // Stored by hash only.
    const stored2 = [...(deps.factors.recovery.get('demo')?.keys() ?? [])];
    expect(stored2).toHaveLength(10);
    for (const code of recoveryCodes) expect(stored2.join()).not.toContain(code.replace('-', ''));
  });

  it('refuses a wrong first code and keeps the set-up waiting', async () => {
    const deps = setup();
    const { secret } = await beginTotpEnrolment('demo', deps);
    const wrong = totpCode(secret, deps.clock.now() + 10 * 60_000);
    await expect(confirmTotpEnrolment('demo', wrong, deps)).rejects.toMatchObject({ code: 'second_factor_invalid' });
    expect(deps.factors.totp.get('demo')?.confirmed).toBe(false);
  });

  it('refuses a second set-up while one is confirmed', async () => {
    const deps = setup();
    await enrol(deps);
    await expect(beginTotpEnrolment('demo', deps)).rejects.toMatchObject({ code: 'factor_exists' });
  });

  it('lets a set-up lapse after its time', async () => {
    const deps = setup();
    const { secret } = await beginTotpEnrolment('demo', deps);
    deps.clock.advance(16 * 60_000);
    await expect(confirmTotpEnrolment('demo', totpCode(secret, deps.clock.now()), deps)).rejects.toMatchObject({
      code: 'enrolment_missing',
    });
  });
});

describe('the second step of sign-in', () => {
  it('asks for the factor after a right password and starts no session before it', async () => {
    const deps = setup();
    await enrol(deps);
    const step = await passwordStep(deps);
    expect(step.methods).toEqual(['totp', 'recovery']);
  });

  it('signs in with the current code and records pwd + otp', async () => {
    const deps = setup();
    const { secret } = await enrol(deps);
    deps.sessions.sessions.clear();
    const step = await passwordStep(deps);
    expect(deps.sessions.sessions.size).toBe(0);
    const result = await completeSecondStep(
      step.step.value,
      { method: 'totp', code: totpCode(secret, deps.clock.now()) },
      deps,
    );
    if (result.kind !== 'signed_in') throw new Error('not signed in');
    await expect(currentSession(result.session.value, deps)).resolves.toMatchObject({
      username: 'demo',
      amr: ['pwd', 'otp'],
    });
    // The step is spent with it.
    await expect(
      completeSecondStep(step.step.value, { method: 'totp', code: totpCode(secret, deps.clock.now()) }, deps),
    ).rejects.toMatchObject({ code: 'second_step_expired' });
  });

  it('replaces the session the browser already had, as a sign-in without a factor does', async () => {
    const deps = setup();
    const earlier = await signIn('demo', PASSWORD, IP, deps);
    if (earlier.kind !== 'signed_in') throw new Error('not signed in');
    const { secret } = await enrol(deps);
    const step = await passwordStep(deps);
    const code = totpCode(secret, deps.clock.now());
    await completeSecondStep(step.step.value, { method: 'totp', code }, deps, earlier.session.value);
    await expect(currentSession(earlier.session.value, deps)).rejects.toMatchObject({ code: 'not_signed_in' });
  });

  it('a session finished after the credentials changed (a reset between the steps) is dead at once', async () => {
    const deps = setup();
    const { secret } = await enrol(deps);
    const step = await passwordStep(deps);
    await deps.generations.bump('demo');
    const result = await completeSecondStep(
      step.step.value,
      { method: 'totp', code: totpCode(secret, deps.clock.now()) },
      deps,
    );
    if (result.kind !== 'signed_in') throw new Error('not signed in');
    await expect(currentSession(result.session.value, deps)).rejects.toMatchObject({ code: 'not_signed_in' });
  });

  it('accepts "123 456" as typed from an app that groups digits', async () => {
    const deps = setup();
    const { secret } = await enrol(deps);
    const step = await passwordStep(deps);
    const code = totpCode(secret, deps.clock.now());
    await expect(
      completeSecondStep(step.step.value, { method: 'totp', code: `${code.slice(0, 3)} ${code.slice(3)}` }, deps),
    ).resolves.toMatchObject({ kind: 'signed_in' });
  });

  it('never accepts the same code twice (replay), even in a new sign-in', async () => {
    const deps = setup();
    const { secret } = await enrol(deps);
    const code = totpCode(secret, deps.clock.now());
    const first = await passwordStep(deps);
    await completeSecondStep(first.step.value, { method: 'totp', code }, deps);
    const second = await passwordStep(deps);
    await expect(completeSecondStep(second.step.value, { method: 'totp', code }, deps)).rejects.toMatchObject({
      code: 'second_factor_invalid',
    });
    // Nor an older one once a newer step was used.
    await expect(
      completeSecondStep(
        second.step.value,
        { method: 'totp', code: totpCode(secret, deps.clock.now() - 30_000) },
        deps,
      ),
    ).rejects.toMatchObject({ code: 'second_factor_invalid' });
  });

  it('lets exactly one of two concurrent uses of one code through', async () => {
    const deps = setup();
    const { secret } = await enrol(deps);
    const code = totpCode(secret, deps.clock.now());
    const [a, b] = [await passwordStep(deps), await passwordStep(deps)];
    const results = await Promise.allSettled([
      completeSecondStep(a.step.value, { method: 'totp', code }, deps),
      completeSecondStep(b.step.value, { method: 'totp', code }, deps),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('allows one step of clock drift either way, not two', async () => {
    const deps = setup();
    const { secret } = await enrol(deps);
    // Past the step the enrolment spent, so the step before now is still unused.
    deps.clock.advance(60_000);
    const now = deps.clock.now();
    const behind = await passwordStep(deps);
    await expect(
      completeSecondStep(behind.step.value, { method: 'totp', code: totpCode(secret, now - 30_000) }, deps),
    ).resolves.toMatchObject({ kind: 'signed_in' });
    const ahead = await passwordStep(deps);
    await expect(
      completeSecondStep(ahead.step.value, { method: 'totp', code: totpCode(secret, now + 30_000) }, deps),
    ).resolves.toMatchObject({ kind: 'signed_in' });
    deps.clock.advance(120_000);
    const far = await passwordStep(deps);
    await expect(
      completeSecondStep(far.step.value, { method: 'totp', code: totpCode(secret, deps.clock.now() + 60_000) }, deps),
    ).rejects.toMatchObject({ code: 'second_factor_invalid' });
    await expect(
      completeSecondStep(far.step.value, { method: 'totp', code: totpCode(secret, deps.clock.now() - 60_000) }, deps),
    ).rejects.toMatchObject({ code: 'second_factor_invalid' });
  });

  it('stops wrong codes at the limit, even a right code then, until the window ends', async () => {
    const deps = setup();
    const { secret } = await enrol(deps);
    const step = await passwordStep(deps);
    for (let i = 0; i < 10; i++) {
      await expect(completeSecondStep(step.step.value, { method: 'totp', code: '000000' }, deps)).rejects.toMatchObject(
        { code: expect.stringMatching(/second_factor_invalid/) },
      );
    }
    const right = { method: 'totp' as const, code: totpCode(secret, deps.clock.now()) };
    await expect(completeSecondStep(step.step.value, right, deps)).rejects.toMatchObject({ code: 'rate_limited' });
    deps.clock.advance(15 * 60_000);
    const again = await passwordStep(deps);
    await expect(
      completeSecondStep(again.step.value, { method: 'totp', code: totpCode(secret, deps.clock.now()) }, deps),
    ).resolves.toMatchObject({ kind: 'signed_in' });
  });

  it('lapses: a late second step means signing in again', async () => {
    const deps = setup();
    const { secret } = await enrol(deps);
    const step = await passwordStep(deps);
    deps.clock.advance(301_000);
    await expect(
      completeSecondStep(step.step.value, { method: 'totp', code: totpCode(secret, deps.clock.now()) }, deps),
    ).rejects.toMatchObject({ code: 'second_step_expired' });
  });
});

describe('recovery codes', () => {
  it('each works once, in any case and spacing, and records pwd + mfa', async () => {
    const deps = setup();
    const { recoveryCodes } = await enrol(deps);
    const code = recoveryCodes[3] as string;
    const first = await passwordStep(deps);
    const result = await completeSecondStep(
      first.step.value,
      { method: 'recovery', code: ` ${code.toUpperCase()} ` },
      deps,
    );
    if (result.kind !== 'signed_in') throw new Error('not signed in');
    await expect(currentSession(result.session.value, deps)).resolves.toMatchObject({ amr: ['pwd', 'mfa'] });
    const second = await passwordStep(deps);
    await expect(completeSecondStep(second.step.value, { method: 'recovery', code }, deps)).rejects.toMatchObject({
      code: 'second_factor_invalid',
    });
    await expect(deps.factors.summary('demo')).resolves.toMatchObject({ recoveryCodesLeft: 9 });
  });

  it('regenerating ends every older code', async () => {
    const deps = setup();
    const { recoveryCodes } = await enrol(deps);
    const fresh = await regenerateRecoveryCodes('demo', deps);
    const step = await passwordStep(deps);
    await expect(
      completeSecondStep(step.step.value, { method: 'recovery', code: recoveryCodes[0] as string }, deps),
    ).rejects.toMatchObject({ code: 'second_factor_invalid' });
    await expect(
      completeSecondStep(step.step.value, { method: 'recovery', code: fresh[0] as string }, deps),
    ).resolves.toMatchObject({ kind: 'signed_in' });
  });

  it('are bound to their account', async () => {
    const deps = setup();
    deps.users.add({ username: 'other', email: 'other@example.com', password: PASSWORD });
    const { recoveryCodes } = await enrol(deps);
    await regenerateRecoveryCodes('other', deps);
    await deps.factors.startTotp({ username: 'other', sealedSecret: 'x', confirmed: true, createdAt: 0 });
    const result = await signIn('other', PASSWORD, IP, deps);
    if (result.kind !== 'second_factor_required') throw new Error('expected the second step');
    await expect(
      completeSecondStep(result.step.value, { method: 'recovery', code: recoveryCodes[0] as string }, deps),
    ).rejects.toMatchObject({ code: 'second_factor_invalid' });
  });
});

describe('a password reset never bypasses the factor', () => {
  it('asks for the code after the emailed password and the new password, and only then signs in', async () => {
    const deps = setup();
    const { secret } = await enrol(deps);
    deps.sessions.sessions.clear();
    // As the reset does: a temporary password in the directory and its record.
    await deps.users.setTemporaryPassword('demo', 'Temp-Password-From-Mail-9');
    await deps.temporaryPasswords.record({
      username: 'demo',
      passwordHash: hashTemporaryPassword('demo', 'Temp-Password-From-Mail-9'),
      issuedAt: deps.clock.now(),
      expiresAt: deps.clock.now() + 3_600_000,
    });
    const challenge = await signIn('demo', 'Temp-Password-From-Mail-9', IP, deps);
    if (challenge.kind !== 'new_password_required') throw new Error('expected the new-password step');
    const afterReset = await chooseNewPassword(challenge.challenge.value, 'A-Brand-New-Passphrase-7', deps);
    expect(afterReset.kind).toBe('second_factor_required');
    expect(deps.sessions.sessions.size).toBe(0);
    if (afterReset.kind !== 'second_factor_required') return;
    await expect(
      completeSecondStep(afterReset.step.value, { method: 'totp', code: totpCode(secret, deps.clock.now()) }, deps),
    ).resolves.toMatchObject({ kind: 'signed_in' });
  });
});

describe('a second factor required for everyone', () => {
  it('makes a person without one set it up before any session, then signs in with pwd + otp', async () => {
    const deps = { ...setup(), requireSecondFactor: true };
    const result = await signIn('demo', PASSWORD, IP, deps);
    if (result.kind !== 'enrolment_required') throw new Error(`expected enrolment, got ${result.kind}`);
    expect(deps.sessions.sessions.size).toBe(0);
    // The enrolment step is not a verify step.
    await expect(completeSecondStep(result.step.value, { method: 'totp', code: '123456' }, deps)).rejects.toMatchObject(
      { code: 'second_step_expired' },
    );
    const username = await enrolmentStepUser(result.step.value, deps);
    const { secret } = await beginTotpEnrolment(username, deps);
    const done = await completeEnrolmentStep(result.step.value, totpCode(secret, deps.clock.now()), deps);
    expect(done.recoveryCodes).toHaveLength(10);
    if (done.result.kind !== 'signed_in') throw new Error('not signed in');
    await expect(currentSession(done.result.session.value, deps)).resolves.toMatchObject({ amr: ['pwd', 'otp'] });
  });
});
