// Passkeys (WebAuthn) through SimpleWebAuthn: registering several per account, signing in with one
// instead of the password (a discoverable credential, user verification required: the passkey is
// something one has, unlocked by something one knows or is), and using one as the second step after
// the password. Every ceremony's challenge is stored and spent by its answer, once; a passkey's
// signature counter only moves forward. Only the functions that check passkeys import this module
// (and the library with it).
import { createHash } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { type PasskeyView, passkeyRules } from '../definitions/passkeys';
import type { AuthenticationMethod, SecondFactorMethod } from '../definitions/second-factors';
import { toView } from './account';
import { PasskeyInvalid, PasskeyLimit } from './errors';
import type { Clock, FactorStore, Log, PasskeyChallenge, PasskeyRecord } from './ports';
import { secondStepMethods } from './second-factors';
import { findSecondStep, type SessionDeps, type SignInResult, startSession } from './sessions';

/** Who the passkeys are for: the site (its host name and origin) and the name authenticators show. */
export interface RelyingParty {
  readonly id: string;
  readonly origin: string;
  readonly name: string;
}

export interface PasskeyDeps {
  readonly factors: FactorStore;
  readonly clock: Clock;
  readonly log: Log;
  readonly relyingParty: RelyingParty;
}

/** ES256 (every platform) and RS256 (Windows Hello): what registration accepts. */
const ALGORITHMS = [-7, -257];

/**
 * The WebAuthn user handle: stable per account (a second registration on the same authenticator
 * replaces its first rather than piling up), and not the username itself (authenticators may show
 * or sync it; the username travels separately as the display name).
 */
export function userHandle(username: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(`support-access passkey user\u0000${username}`).digest());
}

/** RFC 8176: a synced passkey's key lives in software (a cloud keychain), a device-bound one in hardware. */
function keyMethod(synced: boolean): AuthenticationMethod {
  return synced ? 'swk' : 'hwk';
}

async function saveChallenge(
  challenge: string,
  purpose: PasskeyChallenge['purpose'],
  deps: PasskeyDeps,
  bound: { username?: string; stepHash?: string } = {},
): Promise<void> {
  await deps.factors.saveChallenge({
    challenge,
    purpose,
    ...bound,
    expiresAt: deps.clock.now() + passkeyRules.challengeSeconds * 1000,
  });
}

/**
 * The ceremony an answer belongs to, spent now: the challenge the browser signed (in its client
 * data) must be one this site handed out for this purpose, unspent and in time.
 */
async function takeChallenge(
  clientDataJSON: string,
  purpose: PasskeyChallenge['purpose'],
  deps: PasskeyDeps,
): Promise<PasskeyChallenge> {
  let challenge: unknown;
  try {
    challenge = (JSON.parse(isoBase64URL.toUTF8String(clientDataJSON)) as { challenge?: unknown }).challenge;
  } catch {
    throw new PasskeyInvalid('the client data is not JSON');
  }
  if (typeof challenge !== 'string' || !/^[A-Za-z0-9_-]{16,128}$/.test(challenge)) {
    throw new PasskeyInvalid('the client data holds no challenge');
  }
  const stored = await deps.factors.takeChallenge(challenge, deps.clock.now());
  if (!stored || stored.purpose !== purpose) throw new PasskeyInvalid('unknown, spent or expired ceremony');
  return stored;
}

/** Options for registering a new passkey; the account's passkeys are excluded (no duplicates). */
export async function registrationOptions(
  username: string,
  deps: PasskeyDeps,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await deps.factors.listPasskeys(username);
  if (existing.length >= passkeyRules.maxPerAccount) throw new PasskeyLimit(passkeyRules.maxPerAccount);
  const options = await generateRegistrationOptions({
    rpName: deps.relyingParty.name,
    rpID: deps.relyingParty.id,
    userName: username,
    userDisplayName: username,
    userID: userHandle(username),
    timeout: passkeyRules.challengeSeconds * 1000,
    attestationType: 'none',
    excludeCredentials: existing.map((passkey) => ({ id: passkey.id, transports: [...passkey.transports] })),
    // Discoverable (so it can sign in without a username) and verified (PIN, fingerprint, face).
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    supportedAlgorithmIDs: ALGORITHMS,
  });
  await saveChallenge(options.challenge, 'register', deps, { username });
  return options;
}

/** Checks the browser's registration answer and stores the passkey under its name. */
export async function addPasskey(
  username: string,
  name: string,
  response: RegistrationResponseJSON,
  deps: PasskeyDeps,
): Promise<PasskeyView> {
  const challenge = await takeChallenge(response.response.clientDataJSON, 'register', deps);
  if (challenge.username !== username) throw new PasskeyInvalid('the ceremony was started by another account');
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: deps.relyingParty.origin,
      expectedRPID: deps.relyingParty.id,
      requireUserVerification: true,
      supportedAlgorithmIDs: ALGORITHMS,
    });
  } catch (error) {
    deps.log.info('passkey registration refused', { username, reason: (error as Error).message });
    throw new PasskeyInvalid((error as Error).message);
  }
  if (!verification.verified) throw new PasskeyInvalid('the registration did not verify');
  // Counted again here: two registrations started side by side must not pass the limit together.
  if ((await deps.factors.listPasskeys(username)).length >= passkeyRules.maxPerAccount) {
    throw new PasskeyLimit(passkeyRules.maxPerAccount);
  }
  const { credential, credentialBackedUp } = verification.registrationInfo;
  const passkey: PasskeyRecord = {
    username,
    id: credential.id,
    publicKey: isoBase64URL.fromBuffer(credential.publicKey),
    counter: credential.counter,
    transports: credential.transports ?? [],
    name,
    synced: credentialBackedUp,
    createdAt: deps.clock.now(),
  };
  if (!(await deps.factors.addPasskey(passkey))) throw new PasskeyInvalid('the passkey is already registered');
  deps.log.info('passkey added', { username, synced: passkey.synced });
  return toView(passkey);
}

/** Options for signing in with a passkey, no username asked: the browser offers the site's passkeys. */
export async function signInOptions(deps: PasskeyDeps): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const options = await generateAuthenticationOptions({
    rpID: deps.relyingParty.id,
    allowCredentials: [],
    userVerification: 'required',
    timeout: passkeyRules.challengeSeconds * 1000,
  });
  await saveChallenge(options.challenge, 'sign-in', deps);
  return options;
}

/** Checks an assertion against the stored passkey and spends its counter. */
async function verifyAssertion(
  passkey: PasskeyRecord,
  challenge: PasskeyChallenge,
  response: AuthenticationResponseJSON,
  deps: PasskeyDeps,
): Promise<{ synced: boolean }> {
  let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: deps.relyingParty.origin,
      expectedRPID: deps.relyingParty.id,
      credential: {
        id: passkey.id,
        publicKey: isoBase64URL.toBuffer(passkey.publicKey),
        counter: passkey.counter,
        transports: [...passkey.transports] as never,
      },
      requireUserVerification: true,
    });
  } catch (error) {
    deps.log.info('passkey refused', { username: passkey.username, reason: (error as Error).message });
    throw new PasskeyInvalid((error as Error).message);
  }
  const { verified, authenticationInfo } = verification;
  if (!verified) throw new PasskeyInvalid('the signature did not verify');
  const synced = authenticationInfo.credentialBackedUp;
  const now = deps.clock.now();
  if (!(await deps.factors.usePasskey(passkey.username, passkey.id, authenticationInfo.newCounter, synced, now))) {
    deps.log.warn('passkey counter did not move forward, or the passkey was removed: refused', {
      username: passkey.username,
    });
    throw new PasskeyInvalid('the passkey was removed, or its counter went back (a cloned authenticator?)');
  }
  return { synced };
}

/**
 * Signs in with a passkey instead of the password. The credential names the account; the account
 * must still be enabled; the credential generation is read before the signature is checked (as
 * signIn does), so a reset or disable in between kills the session on its first use.
 */
export async function signInWithPasskey(
  response: AuthenticationResponseJSON,
  deps: SessionDeps & PasskeyDeps,
  replacing?: string,
): Promise<SignInResult> {
  const challenge = await takeChallenge(response.response.clientDataJSON, 'sign-in', deps);
  const username = await deps.factors.passkeyOwner(response.id);
  const passkey = username ? await deps.factors.findPasskey(username, response.id) : undefined;
  if (!username || !passkey) throw new PasskeyInvalid('no account has this passkey');
  const handle = response.response.userHandle;
  if (handle !== undefined && handle !== isoBase64URL.fromBuffer(userHandle(username))) {
    throw new PasskeyInvalid('the passkey was made for another account');
  }
  const generation = await deps.generations.current(username);
  const user = await deps.users.findByLogin(username);
  if (!user?.enabled) {
    deps.log.info('passkey sign-in of a disabled or missing account refused', { username });
    throw new PasskeyInvalid('the account is disabled');
  }
  const { synced } = await verifyAssertion(passkey, challenge, response, deps);
  // User verification is required: the passkey is possession plus the device's PIN or biometric.
  const session = await startSession(username, generation, [keyMethod(synced), 'mfa'], replacing, deps);
  return { kind: 'signed_in', username, session };
}

/**
 * Options for the second step with a passkey: the account's passkeys are named to the browser,
 * and the challenge is bound to this step. Also answers which methods the step accepts.
 */
export async function secondStepOptions(
  stepValue: string | undefined,
  deps: SessionDeps & PasskeyDeps,
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; methods: SecondFactorMethod[] }> {
  const step = await findSecondStep(stepValue, 'verify', deps);
  const [passkeys, summary] = await Promise.all([
    deps.factors.listPasskeys(step.username),
    deps.factors.summary(step.username),
  ]);
  const options = await generateAuthenticationOptions({
    rpID: deps.relyingParty.id,
    allowCredentials: passkeys.map((passkey) => ({ id: passkey.id, transports: [...passkey.transports] })),
    userVerification: 'required',
    timeout: passkeyRules.challengeSeconds * 1000,
  });
  await saveChallenge(options.challenge, 'second-step', deps, { username: step.username, stepHash: step.hash });
  return { options, methods: secondStepMethods(summary) };
}

/** The second step with a passkey of the account whose password was just right. */
export async function completePasskeySecondStep(
  stepValue: string | undefined,
  response: AuthenticationResponseJSON,
  deps: SessionDeps & PasskeyDeps,
  replacing?: string,
): Promise<SignInResult> {
  const step = await findSecondStep(stepValue, 'verify', deps);
  const challenge = await takeChallenge(response.response.clientDataJSON, 'second-step', deps);
  if (challenge.stepHash !== step.hash || challenge.username !== step.username) {
    throw new PasskeyInvalid('the ceremony belongs to another sign-in');
  }
  const passkey = await deps.factors.findPasskey(step.username, response.id);
  if (!passkey) throw new PasskeyInvalid('the passkey is not one of this account');
  const { synced } = await verifyAssertion(passkey, challenge, response, deps);
  await deps.sessions.deleteSecondStep(step.hash);
  const amr: AuthenticationMethod[] = [...step.amr, keyMethod(synced)];
  return {
    kind: 'signed_in',
    username: step.username,
    session: await startSession(step.username, step.generation, amr, replacing, deps),
  };
}

/**
 * The set-up a deployment that requires a second factor asks for during sign-in, with a passkey:
 * the first passkey is stored, the enrolment step ends, and the session starts (password + key).
 */
export async function completeEnrolmentWithPasskey(
  stepValue: string | undefined,
  name: string,
  response: RegistrationResponseJSON,
  deps: SessionDeps & PasskeyDeps,
  replacing?: string,
): Promise<{ result: SignInResult; passkey: PasskeyView }> {
  const step = await findSecondStep(stepValue, 'enrol', deps);
  const passkey = await addPasskey(step.username, name, response, deps);
  await deps.sessions.deleteSecondStep(step.hash);
  const amr: AuthenticationMethod[] = [...step.amr, keyMethod(passkey.synced)];
  const session = await startSession(step.username, step.generation, amr, replacing, deps);
  return { result: { kind: 'signed_in', username: step.username, session }, passkey };
}
