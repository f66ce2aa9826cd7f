import type { CredentialRequestFields } from '../definitions/credential-request';
import type { Language } from '../definitions/languages';
import type { AuthenticationMethod, SecurityChange } from '../definitions/second-factors';

// The ports the domain talks through. Adapters in lambdas/adapters/ implement them for AWS; tests
// implement them in memory. Nothing here knows about an SDK.

export interface PortalUser {
  readonly username: string;
  readonly email: string;
  /** The person's name (Cognito's `name` attribute), when the account has one: emails greet by it. */
  readonly name?: string | undefined;
  readonly enabled: boolean;
}

export type SignInOutcome =
  | { readonly kind: 'signed_in'; readonly username: string }
  | { readonly kind: 'new_password_required'; readonly username: string; readonly challengeSession: string }
  | { readonly kind: 'invalid_credentials' };

export interface UserDirectory {
  /** Finds a user by username or email (both case-insensitive); undefined when none matches. */
  findByLogin(login: string): Promise<PortalUser | undefined>;
  /** Sets a password that must be changed at the next sign-in. */
  setTemporaryPassword(username: string, password: string): Promise<void>;
  signIn(username: string, password: string): Promise<SignInOutcome>;
  /** Answers the NEW_PASSWORD_REQUIRED challenge. */
  completeNewPassword(username: string, challengeSession: string, newPassword: string): Promise<SignInOutcome>;
  /** Revokes every token Cognito issued to the user (refresh tokens included). */
  signOutEverywhere(username: string): Promise<void>;
}

export type ResetTokenStatus = 'PENDING' | 'CLAIMED' | 'USED' | 'REVOKED';

export interface ResetTokenRecord {
  readonly hash: string;
  readonly username: string;
  readonly status: ResetTokenStatus;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly claimUntil?: number;
  readonly requestIp: string;
}

export type ClaimResult =
  | { readonly claimed: true; readonly token: ResetTokenRecord }
  | { readonly claimed: false; readonly current: ResetTokenRecord | undefined };

export interface ResetTokenStore {
  create(token: ResetTokenRecord): Promise<void>;
  /** Looks a token up by hash, for asking a new link from an old one. */
  find(hash: string): Promise<ResetTokenRecord | undefined>;
  /**
   * Atomically moves a token to CLAIMED if it is PENDING (or CLAIMED with a lapsed lease) and not
   * expired at `now`. Exactly one of any number of concurrent callers wins.
   */
  claim(hash: string, now: number, leaseUntil: number): Promise<ClaimResult>;
  /** Gives a claimed token back, so the same link works again. */
  release(hash: string): Promise<void>;
  markUsed(hash: string, now: number): Promise<void>;
  /**
   * Revokes the user's tokens other than `keepHash` that are not spent yet: PENDING, and CLAIMED
   * too (a confirm that crashed would otherwise get its link back when the lease lapses); only
   * those created before `createdBefore` when it is given. Returns how many.
   */
  revokeOthers(username: string, keepHash: string, createdBefore?: number): Promise<number>;
}

export interface SessionRecord {
  readonly hash: string;
  readonly username: string;
  /** The user's credential generation read before the password was checked. */
  readonly generation: number;
  readonly createdAt: number;
  /** Absolute end. */
  readonly expiresAt: number;
  /** Last time the session was used, for the idle timeout (moved forward at most once a minute). */
  readonly lastSeenAt: number;
  /** How the person proved who they are (RFC 8176 values); older records have none. */
  readonly amr?: readonly AuthenticationMethod[];
}

/**
 * The password was right and a second factor is still due (`verify`), or must first be set up
 * because the deployment requires one (`enrol`). No session exists until it is done.
 */
export interface SecondStepRecord {
  readonly hash: string;
  readonly username: string;
  readonly purpose: 'verify' | 'enrol';
  /** The user's credential generation read before the password was checked; the session takes it. */
  readonly generation: number;
  readonly amr: readonly AuthenticationMethod[];
  readonly expiresAt: number;
}

export interface ChallengeRecord {
  readonly hash: string;
  readonly username: string;
  /** The account's email address: the new password must not contain its local part. */
  readonly email?: string | undefined;
  readonly challengeSession: string;
  /** The credential generation read before the temporary password was checked. */
  readonly generation: number;
  readonly expiresAt: number;
}

export interface SessionStore {
  createSession(session: SessionRecord): Promise<void>;
  /** The session if it exists and has not expired at `now`. */
  findSession(hash: string, now: number): Promise<SessionRecord | undefined>;
  deleteSession(hash: string): Promise<void>;
  /** Records that the session was used at `now` (the idle timeout slides). */
  touchSession(hash: string, now: number): Promise<void>;
  /** Ends every session of the user; returns how many. */
  deleteAllSessions(username: string): Promise<number>;
  createChallenge(challenge: ChallengeRecord): Promise<void>;
  findChallenge(hash: string, now: number): Promise<ChallengeRecord | undefined>;
  deleteChallenge(hash: string): Promise<void>;
  createSecondStep(step: SecondStepRecord): Promise<void>;
  findSecondStep(hash: string, now: number): Promise<SecondStepRecord | undefined>;
  deleteSecondStep(hash: string): Promise<void>;
  /** The user's live sessions, for the account page. */
  listSessions(username: string, now: number): Promise<SessionRecord[]>;
}

/** An authenticator-app secret, sealed by the SecretSealer; `confirmed` once a first code matched. */
export interface TotpFactor {
  readonly username: string;
  readonly sealedSecret: string;
  readonly confirmed: boolean;
  readonly createdAt: number;
  /** Until when an unconfirmed enrolment may be confirmed. */
  readonly expiresAt?: number;
  /** The last time step whose code was accepted: it and older steps are never accepted again. */
  readonly lastStep?: number;
  readonly lastUsedAt?: number;
}

/** Which second factors a user has, for the sign-in decision and the account page. */
export interface FactorSummary {
  readonly totp: boolean;
  readonly recoveryCodesLeft: number;
  readonly passkeys: number;
}

/** A registered passkey: its public key (COSE, base64url) and what the account page shows. */
export interface PasskeyRecord {
  readonly username: string;
  /** The credential id (base64url), unique across accounts. */
  readonly id: string;
  readonly publicKey: string;
  /** The authenticator's signature counter (0 for most synced passkeys, which do not count). */
  readonly counter: number;
  readonly transports: readonly string[];
  readonly name: string;
  /** Backed up (synced by a platform or password manager) when last seen. */
  readonly synced: boolean;
  readonly createdAt: number;
  readonly lastUsedAt?: number | undefined;
}

/** A WebAuthn ceremony waiting for the browser's answer; spent by the answer (once). */
export interface PasskeyChallenge {
  /** base64url, as the browser echoes it in clientDataJSON. */
  readonly challenge: string;
  readonly purpose: 'register' | 'sign-in' | 'second-step';
  /** Registration and the second step: whose ceremony it is. */
  readonly username?: string | undefined;
  /** The second step: the hash of the step (cookie) it belongs to. */
  readonly stepHash?: string | undefined;
  readonly expiresAt: number;
}

/** Passkeys and their ceremonies, beside the other factors. */
export interface PasskeyStore {
  /** The user's passkeys, newest first. */
  listPasskeys(username: string): Promise<PasskeyRecord[]>;
  findPasskey(username: string, id: string): Promise<PasskeyRecord | undefined>;
  /** Whose passkey a credential id is (a sign-in without a username names only the credential). */
  passkeyOwner(id: string): Promise<string | undefined>;
  /** Stores a new passkey; false (nothing stored) when its credential id is already registered. */
  addPasskey(passkey: PasskeyRecord): Promise<boolean>;
  /**
   * Records a use: the new signature counter and the time. False when the passkey is gone or the
   * counter did not move forward (a cloned authenticator). Atomic.
   */
  usePasskey(username: string, id: string, counter: number, synced: boolean, now: number): Promise<boolean>;
  removePasskey(username: string, id: string): Promise<void>;
  saveChallenge(challenge: PasskeyChallenge): Promise<void>;
  /** Removes and answers the challenge: a second answer to the same ceremony finds nothing. */
  takeChallenge(challenge: string, now: number): Promise<PasskeyChallenge | undefined>;
}

/** Second factors in the table: pk USER#<username>, sk TOTP | RECOVERY#<hash> | PASSKEY#<id>. */
export interface FactorStore extends PasskeyStore {
  summary(username: string): Promise<FactorSummary>;
  findTotp(username: string): Promise<TotpFactor | undefined>;
  /** Stores an unconfirmed secret; false (nothing written) when a confirmed one exists. */
  startTotp(factor: TotpFactor): Promise<boolean>;
  /**
   * Confirms the unconfirmed secret and spends `step`; false when it is no longer unconfirmed,
   * has lapsed, or (another request) confirmed it first.
   */
  confirmTotp(username: string, sealedSecret: string, step: number, now: number): Promise<boolean>;
  /** Spends `step` if it is newer than the last accepted one; false for a replay. Atomic. */
  useTotpStep(username: string, step: number, now: number): Promise<boolean>;
  deleteTotp(username: string): Promise<void>;
  /** Puts the new codes (by hash), then removes every older one. */
  replaceRecoveryCodes(username: string, hashes: readonly string[], now: number): Promise<void>;
  /** Marks an unused code used; false when it is unknown or already used. Atomic. */
  useRecoveryCode(username: string, hash: string, now: number): Promise<boolean>;
  /** Removes every second factor of the user (an ops reset); returns how many items went. */
  deleteAll(username: string): Promise<number>;
}

export interface AuditEntry {
  readonly at: number;
  readonly username: string;
  readonly action: 'factors-reset';
  /** Who did it (the ops CLI's --by or login name). */
  readonly by: string;
  readonly detail: string;
}

/** What ops did to an account, kept in the table (AUDIT#<username>). */
export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
}

/** Encrypts small secrets at rest (KMS in AWS and locally), bound to the user they belong to. */
export interface SecretSealer {
  seal(plaintext: Uint8Array, username: string): Promise<string>;
  open(sealed: string, username: string): Promise<Uint8Array>;
}

/**
 * A per-user credential generation. A completed reset and a disable bump it; every session and
 * reset link carries the generation it was issued under and stops working on its next use once the
 * user's generation has moved on, whether or not its own record was found and deleted.
 */
export interface CredentialGenerations {
  /** The user's generation: 0 until first bumped. Any login may be asked (unknown ones are 0). */
  current(username: string): Promise<number>;
  /** Moves the user to a new generation and returns it. */
  bump(username: string, now: number): Promise<number>;
}

/** The temporary password this app issued to a user: its hash and how long it may be used. */
export interface TemporaryPasswordRecord {
  readonly username: string;
  readonly passwordHash: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export interface TemporaryPasswordStore {
  /** Replaces any earlier record for the user. */
  record(entry: TemporaryPasswordRecord): Promise<void>;
  find(username: string): Promise<TemporaryPasswordRecord | undefined>;
  clear(username: string): Promise<void>;
}

export interface ResetLinkEmail {
  readonly to: string;
  readonly language: Language;
  readonly username: string;
  /** Who the greeting names: the person's name, else the username. */
  readonly greetingName: string;
  readonly resetUrl: string;
  readonly expiresAt: Date;
  readonly validMinutes: number;
}

export interface NewPasswordEmail {
  readonly to: string;
  readonly language: Language;
  readonly username: string;
  /** Who the greeting names: the person's name, else the username. */
  readonly greetingName: string;
  readonly temporaryPassword: string;
  /** Until when the temporary password may be used, and for how many minutes from now. */
  readonly expiresAt: Date;
  readonly validMinutes: number;
  readonly requestedAt: Date;
  readonly requestIp: string;
}

export interface SecurityNoticeEmail {
  readonly to: string;
  readonly language: Language;
  readonly username: string;
  readonly change: SecurityChange;
  /** What the change names, e.g. the passkey's name ({name} in the change's words). */
  readonly detail?: string | undefined;
  readonly changedAt: Date;
  readonly sourceIp: string;
}

/** Confirms each change to how a person signs in, by email to the account's address. */
export interface SecurityMailer {
  sendSecurityNotice(email: SecurityNoticeEmail): Promise<void>;
}

export interface Mailer {
  sendResetLink(email: ResetLinkEmail): Promise<void>;
  sendNewPassword(email: NewPasswordEmail): Promise<void>;
}

/** What the request endpoint hands to the worker. Either a login or an old link's token. */
export interface ResetRequestMessage {
  readonly v: 1;
  /** The language of the page (or browser) that asked; the email speaks it. */
  readonly language: Language;
  readonly login?: string;
  readonly tokenHash?: string;
  readonly requestedAt: number;
  readonly sourceIp: string;
  readonly requestId: string;
}

export interface ResetRequestQueue {
  enqueue(message: ResetRequestMessage): Promise<void>;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The slice of a structured logger the domain needs; Powertools' Logger fits it. */
export interface Log {
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

// Credential requests (the public form, decided by ops).
export type CredentialRequestStatus = 'PENDING' | 'APPROVED' | 'REJECTED';

/** Whether an account already used the address when the request arrived (for ops only). */
export type AccountCheck = 'none' | 'exists' | 'unknown';

export interface CredentialRequestRecord extends CredentialRequestFields {
  readonly reference: string;
  readonly status: CredentialRequestStatus;
  readonly language: Language;
  readonly createdAt: number;
  readonly requestIp: string;
  readonly accountCheck: AccountCheck;
  /** Usernames that had the address when the request arrived. */
  readonly existingUsernames: readonly string[];
  /** Other requests for the same address that were pending when this one arrived. */
  readonly earlierPending: readonly string[];
  /** Set while an ops command is working on the request; a lapsed lease frees it again. */
  readonly claimUntil?: number;
  readonly decidedAt?: number;
  readonly decidedBy?: string;
  /** The account created on approval. */
  readonly username?: string;
  readonly rejectionReason?: string;
}

export type RequestClaim =
  | { readonly claimed: true; readonly request: CredentialRequestRecord }
  | { readonly claimed: false; readonly current: CredentialRequestRecord | undefined };

export interface CredentialRequestStore {
  /** Stores a new request; false when the reference is already taken (nothing written). */
  create(request: CredentialRequestRecord): Promise<boolean>;
  find(reference: string): Promise<CredentialRequestRecord | undefined>;
  /** Removes a request that was never announced (its email failed). */
  delete(reference: string): Promise<void>;
  /**
   * References of the address's pending requests: one keyed read, whatever the number of pending
   * requests of other addresses (the public form must not do work that grows with the table).
   */
  pendingReferencesFor(email: string): Promise<string[]>;
  /** Requests with that status (all when undefined), newest first. */
  list(status?: CredentialRequestStatus): Promise<CredentialRequestRecord[]>;
  /** Atomically takes a PENDING request that nobody holds (or whose holder's lease lapsed). */
  claim(reference: string, now: number, leaseUntil: number): Promise<RequestClaim>;
  /** Gives a claimed request back: it is pending again, as if nothing happened. */
  release(reference: string): Promise<void>;
  decide(
    reference: string,
    decision:
      | {
          readonly status: 'APPROVED';
          readonly username: string;
          readonly decidedAt: number;
          readonly decidedBy: string;
        }
      | {
          readonly status: 'REJECTED';
          readonly reason: string;
          readonly decidedAt: number;
          readonly decidedBy: string;
        },
  ): Promise<void>;
}

export interface AccountSummary extends PortalUser {
  /** Cognito's status, e.g. CONFIRMED or FORCE_CHANGE_PASSWORD. */
  readonly status: string;
  readonly createdAt: number | undefined;
  readonly fullName: string | undefined;
}

/** The account administration ops needs, beyond what the sign-in and reset flows use. */
export interface AccountAdmin {
  /** Every account with that email address (normally none or one). */
  usersWithEmail(email: string): Promise<PortalUser[]>;
  /** Creates the account with a verified email and no message from Cognito; 'taken' if the username exists. */
  createUser(user: { username: string; email: string; fullName: string }): Promise<'created' | 'taken'>;
  deleteUser(username: string): Promise<void>;
  listUsers(): Promise<AccountSummary[]>;
  setEnabled(username: string, enabled: boolean): Promise<void>;
}

export interface OpsNotification {
  readonly request: CredentialRequestRecord;
  /**
   * Set on the one email sent when the hourly cap is crossed: until `until` (epoch ms) further
   * requests are stored without an email each, and ops list them with the CLI.
   */
  readonly capReached?: { readonly limit: number; readonly until: number };
}

export interface WelcomeEmail {
  readonly to: string;
  readonly language: Language;
  readonly fullName: string;
  readonly reference: string;
  readonly username: string;
  readonly temporaryPassword: string;
  readonly expiresAt: Date;
  readonly validMinutes: number;
}

export interface RejectedEmail {
  readonly to: string;
  readonly language: Language;
  readonly fullName: string;
  readonly reference: string;
  readonly requestedAt: Date;
  readonly reason: string;
}

export interface CredentialMailer {
  notifyOps(notification: OpsNotification): Promise<void>;
  sendWelcome(email: WelcomeEmail): Promise<void>;
  sendRejected(email: RejectedEmail): Promise<void>;
}

/** A person as the OpenID Provider describes them to tools: the claims of its ID tokens and userinfo. */
export interface ProviderAccount {
  /** Cognito's `sub`: stable for the person, whatever their username or email become. */
  readonly sub: string;
  readonly username: string;
  readonly email: string | undefined;
  readonly emailVerified: boolean;
  readonly name: string | undefined;
  readonly enabled: boolean;
}

export interface ProviderAccounts {
  /** By username or by sub; undefined when no account has it. */
  find(usernameOrSub: string): Promise<ProviderAccount | undefined>;
}
