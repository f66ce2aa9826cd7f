// Passkeys in the domain, answered by a software authenticator (test/support/soft-authenticator.ts)
// and checked by SimpleWebAuthn: registration, sign-in without a password, the second step after
// one, and every way an answer must be refused (replayed, another site, another account, a removed
// passkey, a cloned authenticator, a disabled account, a stale sign-in for changes).
import { passkeyRules } from '../../../lambdas/definitions/passkeys';
import {
  accountOverview,
  passkeyChangesUntil,
  removePasskey,
  requireRecentSignIn,
} from '../../../lambdas/domain/account';
import {
  PasskeyInvalid,
  PasskeyLimit,
  PasskeyNotFound,
  ReauthenticationRequired,
} from '../../../lambdas/domain/errors';
import {
  addPasskey,
  completeEnrolmentWithPasskey,
  completePasskeySecondStep,
  type RelyingParty,
  registrationOptions,
  secondStepOptions,
  signInOptions,
  signInWithPasskey,
  userHandle,
} from '../../../lambdas/domain/passkeys';
import { hashTemporaryPassword } from '../../../lambdas/domain/secrets';
import { chooseNewPassword, currentSession, signIn } from '../../../lambdas/domain/sessions';
import { memorySessionDeps } from '../../support/session-deps';
import { SoftAuthenticator, tamperSignature } from '../../support/soft-authenticator';

const PASSWORD = 'Correct-Horse-42';
const IP = '203.0.113.7';
const ORIGIN = 'http://localhost:3000';
const relyingParty: RelyingParty = { id: 'localhost', origin: ORIGIN, name: 'IMS SUPPORT' };

function setup() {
  const deps = { ...memorySessionDeps(), relyingParty };
  deps.users.add({ username: 'demo', email: 'demo@example.com', password: PASSWORD });
  deps.users.add({ username: 'other', email: 'other@example.com', password: PASSWORD });
  return deps;
}
type Deps = ReturnType<typeof setup>;

async function register(deps: Deps, authenticator: SoftAuthenticator, username = 'demo', name = 'Laptop') {
  const options = await registrationOptions(username, deps);
  return addPasskey(username, name, await authenticator.register(options, ORIGIN), deps);
}

async function passwordless(deps: Deps, authenticator: SoftAuthenticator, credentialId?: string) {
  return authenticator.authenticate(await signInOptions(deps), ORIGIN, credentialId);
}

describe('registering passkeys', () => {
  it('asks for a discoverable, verified credential for this site and stores it under its name', async () => {
    const deps = setup();
    const options = await registrationOptions('demo', deps);
    expect(options.rp).toEqual({ id: 'localhost', name: 'IMS SUPPORT' });
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect(options.attestation).toBe('none');
    // The user handle is stable per account and is not the username.
    expect(options.user.id).not.toContain('demo');
    expect((await registrationOptions('demo', deps)).user.id).toBe(options.user.id);

    const authenticator = new SoftAuthenticator();
    const view = await addPasskey('demo', 'Laptop', await authenticator.register(options, ORIGIN), deps);
    expect(view).toEqual({
      id: authenticator.credentials[0]?.id,
      name: 'Laptop',
      createdAt: deps.clock.now(),
      synced: true,
    });
    expect((await deps.factors.summary('demo')).passkeys).toBe(1);
    await expect(deps.factors.passkeyOwner(view.id)).resolves.toBe('demo');
  });

  it('registers several, names each, lists them newest first and excludes the known ones from the next registration', async () => {
    const deps = setup();
    const phone = new SoftAuthenticator({ backedUp: true });
    const key = new SoftAuthenticator({ backedUp: false });
    await register(deps, phone, 'demo', 'Phone');
    deps.clock.advance(1000);
    await register(deps, key, 'demo', 'Security key');
    const session = { hash: 'h', createdAt: deps.clock.now() };
    const overview = await accountOverview('demo', session.hash, deps);
    expect(overview.passkeys.map((p) => [p.name, p.synced])).toEqual([
      ['Security key', false],
      ['Phone', true],
    ]);
    const next = await registrationOptions('demo', deps);
    expect(next.excludeCredentials?.map((c) => c.id).sort()).toEqual(
      [phone.credentials[0]?.id, key.credentials[0]?.id].sort(),
    );
    // The same authenticator cannot register twice (the browser refuses an excluded credential).
    await expect(phone.register(next, ORIGIN)).rejects.toThrow();
  });

  it('spends the challenge: the same answer twice stores one passkey', async () => {
    const deps = setup();
    const answer = await new SoftAuthenticator().register(await registrationOptions('demo', deps), ORIGIN);
    await addPasskey('demo', 'Laptop', answer, deps);
    await expect(addPasskey('demo', 'Laptop', answer, deps)).rejects.toThrow(PasskeyInvalid);
    expect((await deps.factors.listPasskeys('demo')).length).toBe(1);
  });

  it('refuses an answer made for another site, another account, or after the ceremony lapsed; nothing is stored', async () => {
    const deps = setup();
    const authenticator = new SoftAuthenticator();
    const phishing = await authenticator.register(await registrationOptions('demo', deps), 'https://evil.example');
    await expect(addPasskey('demo', 'Laptop', phishing, deps)).rejects.toThrow(PasskeyInvalid);

    const started = await new SoftAuthenticator().register(await registrationOptions('other', deps), ORIGIN);
    await expect(addPasskey('demo', 'Laptop', started, deps)).rejects.toThrow(PasskeyInvalid);

    const late = await new SoftAuthenticator().register(await registrationOptions('demo', deps), ORIGIN);
    deps.clock.advance(passkeyRules.challengeSeconds * 1000 + 1);
    await expect(addPasskey('demo', 'Laptop', late, deps)).rejects.toThrow(PasskeyInvalid);
    expect((await deps.factors.summary('demo')).passkeys).toBe(0);
  });

  it(`holds at most ${passkeyRules.maxPerAccount} per account`, async () => {
    const deps = setup();
    for (let i = 0; i < passkeyRules.maxPerAccount; i++)
      await register(deps, new SoftAuthenticator(), 'demo', `Key ${i}`);
    await expect(registrationOptions('demo', deps)).rejects.toThrow(PasskeyLimit);
  });

  it('removes one by id, and says so when it is not there', async () => {
    const deps = setup();
    const authenticator = new SoftAuthenticator();
    const view = await register(deps, authenticator);
    await expect(removePasskey('other', view.id, deps)).rejects.toThrow(PasskeyNotFound);
    await expect(removePasskey('demo', view.id, deps)).resolves.toMatchObject({ name: 'Laptop' });
    await expect(removePasskey('demo', view.id, deps)).rejects.toThrow(PasskeyNotFound);
    // A removed passkey signs nobody in.
    await expect(signInWithPasskey(await passwordless(deps, authenticator), deps)).rejects.toThrow(PasskeyInvalid);
  });
});

describe('signing in with a passkey instead of the password', () => {
  it('signs in the passkey owner, records how (synced: swk) and when it was last used', async () => {
    const deps = setup();
    const authenticator = new SoftAuthenticator({ backedUp: true });
    await register(deps, authenticator);
    deps.clock.advance(60_000);
    const result = await signInWithPasskey(await passwordless(deps, authenticator), deps);
    if (result.kind !== 'signed_in') throw new Error(`expected a session, got ${result.kind}`);
    expect(result.username).toBe('demo');
    await expect(currentSession(result.session.value, deps)).resolves.toMatchObject({
      username: 'demo',
      amr: ['swk', 'mfa'],
    });
    expect((await deps.factors.listPasskeys('demo'))[0]?.lastUsedAt).toBe(deps.clock.now());
  });

  it('says hwk for a passkey bound to one device', async () => {
    const deps = setup();
    const key = new SoftAuthenticator({ backedUp: false });
    await register(deps, key);
    const result = await signInWithPasskey(await passwordless(deps, key), deps);
    if (result.kind !== 'signed_in') throw new Error('expected a session');
    await expect(currentSession(result.session.value, deps)).resolves.toMatchObject({ amr: ['hwk', 'mfa'] });
  });

  it('refuses a replayed answer, a tampered signature, another site and an unknown passkey', async () => {
    const deps = setup();
    const authenticator = new SoftAuthenticator();
    await register(deps, authenticator);
    const answer = await passwordless(deps, authenticator);
    await signInWithPasskey(answer, deps);
    await expect(signInWithPasskey(answer, deps)).rejects.toThrow(PasskeyInvalid);

    await expect(signInWithPasskey(tamperSignature(await passwordless(deps, authenticator)), deps)).rejects.toThrow(
      PasskeyInvalid,
    );
    const elsewhere = await authenticator.authenticate(await signInOptions(deps), 'https://evil.example');
    await expect(signInWithPasskey(elsewhere, deps)).rejects.toThrow(PasskeyInvalid);
    const wrongRp = await authenticator.authenticate(
      { ...(await signInOptions(deps)), rpId: 'evil.example' },
      ORIGIN,
      authenticator.credentials[0]?.id,
    );
    await expect(signInWithPasskey(wrongRp, deps)).rejects.toThrow(PasskeyInvalid);

    // A passkey made for this site but never registered here (another table, say).
    const stranger = new SoftAuthenticator();
    await stranger.register(await registrationOptions('demo', setup()), ORIGIN);
    await expect(signInWithPasskey(await passwordless(deps, stranger), deps)).rejects.toThrow(PasskeyInvalid);
  });

  it('refuses an answer whose counter went back (a cloned authenticator) and keeps the stored counter', async () => {
    const deps = setup();
    const authenticator = new SoftAuthenticator({ countSignatures: true });
    await register(deps, authenticator);
    const first = await passwordless(deps, authenticator);
    const second = await passwordless(deps, authenticator);
    await signInWithPasskey(second, deps);
    const counter = (await deps.factors.listPasskeys('demo'))[0]?.counter;
    await expect(signInWithPasskey(first, deps)).rejects.toThrow(PasskeyInvalid);
    expect((await deps.factors.listPasskeys('demo'))[0]?.counter).toBe(counter);
  });

  it('refuses a passkey whose user handle names another account', async () => {
    const deps = setup();
    const authenticator = new SoftAuthenticator();
    await register(deps, authenticator);
    const answer = await passwordless(deps, authenticator);
    const forged = {
      ...answer,
      response: { ...answer.response, userHandle: Buffer.from(userHandle('other')).toString('base64url') },
    };
    await expect(signInWithPasskey(forged, deps)).rejects.toThrow(PasskeyInvalid);
  });

  it('refuses a disabled account, and a session started before a reset dies on first use', async () => {
    const deps = setup();
    const authenticator = new SoftAuthenticator();
    await register(deps, authenticator);
    deps.users.add({ username: 'demo', email: 'demo@example.com', password: PASSWORD, enabled: false });
    await expect(signInWithPasskey(await passwordless(deps, authenticator), deps)).rejects.toThrow(PasskeyInvalid);

    deps.users.add({ username: 'demo', email: 'demo@example.com', password: PASSWORD });
    const result = await signInWithPasskey(await passwordless(deps, authenticator), deps);
    if (result.kind !== 'signed_in') throw new Error('expected a session');
    await deps.generations.bump('demo');
    await expect(currentSession(result.session.value, deps)).rejects.toThrow();
  });
});

describe('a passkey as the second step', () => {
  async function passwordStep(deps: Deps) {
    const result = await signIn('demo', PASSWORD, IP, deps);
    if (result.kind !== 'second_factor_required') throw new Error(`expected the second step, got ${result.kind}`);
    return result;
  }

  it('is asked for after the password when the account has one, names its passkeys and signs in with pwd + swk', async () => {
    const deps = setup();
    const authenticator = new SoftAuthenticator();
    await register(deps, authenticator);
    const step = await passwordStep(deps);
    expect(step.methods).toEqual(['passkey']);
    const { options, methods } = await secondStepOptions(step.step.value, deps);
    expect(methods).toEqual(['passkey']);
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([authenticator.credentials[0]?.id]);
    const result = await completePasskeySecondStep(
      step.step.value,
      await authenticator.authenticate(options, ORIGIN),
      deps,
    );
    if (result.kind !== 'signed_in') throw new Error('expected a session');
    await expect(currentSession(result.session.value, deps)).resolves.toMatchObject({ amr: ['pwd', 'swk'] });
    // The step is spent with it.
    await expect(secondStepOptions(step.step.value, deps)).rejects.toThrow();
  });

  it("refuses a ceremony of another sign-in, a sign-in ceremony, and another account's passkey", async () => {
    const deps = setup();
    const mine = new SoftAuthenticator();
    const theirs = new SoftAuthenticator();
    await register(deps, mine);
    await register(deps, theirs, 'other');
    const step = await passwordStep(deps);
    const otherStep = await passwordStep(deps);
    const { options: otherOptions } = await secondStepOptions(otherStep.step.value, deps);
    await expect(
      completePasskeySecondStep(step.step.value, await mine.authenticate(otherOptions, ORIGIN), deps),
    ).rejects.toThrow(PasskeyInvalid);
    await expect(completePasskeySecondStep(step.step.value, await passwordless(deps, mine), deps)).rejects.toThrow(
      PasskeyInvalid,
    );
    const { options } = await secondStepOptions(step.step.value, deps);
    const foreign = await theirs.authenticate({ ...options, allowCredentials: [] }, ORIGIN);
    await expect(completePasskeySecondStep(step.step.value, foreign, deps)).rejects.toThrow(PasskeyInvalid);
    // None of these counted as a wrong code: refusals cannot be turned into a lock-out of the owner.
    const { options: fresh } = await secondStepOptions(step.step.value, deps);
    await expect(
      completePasskeySecondStep(step.step.value, await mine.authenticate(fresh, ORIGIN), deps),
    ).resolves.toMatchObject({ kind: 'signed_in', username: 'demo' });
  });

  it('is still asked for after a reset: the emailed password and the new one lead to the second step', async () => {
    const deps = setup();
    await register(deps, new SoftAuthenticator());
    await deps.users.setTemporaryPassword('demo', 'Temp-Password-123456');
    await deps.temporaryPasswords.record({
      username: 'demo',
      passwordHash: hashTemporaryPassword('demo', 'Temp-Password-123456'),
      issuedAt: deps.clock.now(),
      expiresAt: deps.clock.now() + 600_000,
    });
    const challenge = await signIn('demo', 'Temp-Password-123456', IP, deps);
    expect(challenge.kind).toBe('new_password_required');
    if (challenge.kind !== 'new_password_required') return;
    const next = await chooseNewPassword(challenge.challenge.value, 'A-brand-new-passphrase-7', deps);
    expect(next).toMatchObject({ kind: 'second_factor_required', methods: ['passkey'] });
  });
});

describe('a deployment that requires a second factor', () => {
  it('lets a person without one set up a passkey during the sign-in, which then starts the session', async () => {
    const deps = { ...setup(), requireSecondFactor: true };
    const enrol = await signIn('demo', PASSWORD, IP, deps);
    if (enrol.kind !== 'enrolment_required') throw new Error(`expected the set-up, got ${enrol.kind}`);
    expect(deps.sessions.sessions.size).toBe(0);
    const authenticator = new SoftAuthenticator({ backedUp: false });
    const response = await authenticator.register(await registrationOptions('demo', deps), ORIGIN);
    const { result, passkey } = await completeEnrolmentWithPasskey(enrol.step.value, 'Key', response, deps);
    expect(passkey.name).toBe('Key');
    if (result.kind !== 'signed_in') throw new Error('expected a session');
    await expect(currentSession(result.session.value, deps)).resolves.toMatchObject({ amr: ['pwd', 'hwk'] });
    // The step is spent; the next sign-in asks for the passkey.
    await expect(completeEnrolmentWithPasskey(enrol.step.value, 'Key', response, deps)).rejects.toThrow();
    await expect(signIn('demo', PASSWORD, IP, deps)).resolves.toMatchObject({
      kind: 'second_factor_required',
      methods: ['passkey'],
    });
  });

  it('needs the enrolment step: a verify step or none at all is refused and stores nothing', async () => {
    const deps = setup();
    await register(deps, new SoftAuthenticator());
    const verify = await signIn('demo', PASSWORD, IP, deps);
    if (verify.kind !== 'second_factor_required') throw new Error('expected the second step');
    const response = await new SoftAuthenticator().register(await registrationOptions('demo', deps), ORIGIN);
    await expect(completeEnrolmentWithPasskey(verify.step.value, 'Key', response, deps)).rejects.toThrow();
    await expect(completeEnrolmentWithPasskey(undefined, 'Key', response, deps)).rejects.toThrow();
    expect((await deps.factors.listPasskeys('demo')).length).toBe(1);
  });
});

describe('changes need a recent sign-in', () => {
  it(`allows changes for ${passkeyRules.recentSignInMinutes} minutes after signing in, then asks for a new sign-in`, () => {
    const deps = setup();
    const session = { createdAt: deps.clock.now() };
    expect(passkeyChangesUntil(session)).toBe(session.createdAt + passkeyRules.recentSignInMinutes * 60_000);
    deps.clock.advance(passkeyRules.recentSignInMinutes * 60_000);
    expect(() => requireRecentSignIn(session, deps.clock)).not.toThrow();
    deps.clock.advance(1);
    expect(() => requireRecentSignIn(session, deps.clock)).toThrow(ReauthenticationRequired);
  });
});
