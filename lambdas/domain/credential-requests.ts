// Credential requests: a stranger asks for an account on the public form; the ops team approves or
// rejects it with the ops CLI. Approving creates the Cognito user with a temporary password that
// follows the reset's rules (changed at first sign-in, short-lived, recorded by hash) and emails it.
import { randomInt } from 'node:crypto';
import {
  type CredentialRequestFields,
  normaliseReference,
  REFERENCE_ALPHABET,
} from '../definitions/credential-request';
import type { Language } from '../definitions/languages';
import type { RateLimit } from '../definitions/rate-limits';
import { TemporarilyUnavailable } from './errors';
import type {
  AccountAdmin,
  AccountCheck,
  Clock,
  CredentialGenerations,
  CredentialMailer,
  CredentialRequestRecord,
  CredentialRequestStore,
  Log,
  PortalUser,
  SessionStore,
  TemporaryPasswordStore,
  UserDirectory,
} from './ports';
import { checkRate, type RateCounter, RateLimited } from './rate-limit';
import { hashTemporaryPassword, newTemporaryPassword } from './secrets';

export type OpsErrorCode =
  | 'invalid_reference'
  | 'not_found'
  | 'already_approved'
  | 'already_rejected'
  | 'busy'
  | 'account_exists'
  | 'invalid_reason'
  | 'user_not_found'
  | 'failed';

/** Why an ops command did nothing; the message says what to do instead. */
export class OpsError extends Error {
  constructor(
    readonly code: OpsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OpsError';
  }
}

export function newReference(): string {
  const pick = () => REFERENCE_ALPHABET.charAt(randomInt(REFERENCE_ALPHABET.length));
  const group = () => Array.from({ length: 4 }, pick).join('');
  return `CR-${group()}-${group()}`;
}

// ---------------------------------------------------------------------------------------------
// The public form

export interface SubmitInput extends CredentialRequestFields {
  readonly language: Language;
  readonly sourceIp: string;
}

export interface SubmitDeps {
  readonly store: CredentialRequestStore;
  readonly accounts: Pick<AccountAdmin, 'usersWithEmail'>;
  readonly mailer: Pick<CredentialMailer, 'notifyOps'>;
  readonly counter: RateCounter;
  readonly emailLimit: RateLimit;
  /** Ops emails per hour for everyone's requests together. */
  readonly opsEmailLimit: RateLimit;
  readonly clock: Clock;
  readonly log: Log;
}

/**
 * Stores the request and tells ops. The requester hears the same thing whether or not the address
 * has an account: the lookup happens for every request and its result goes only to ops. Either
 * the request is stored and announced, or nothing remains and the caller is asked to try again.
 */
export async function submitCredentialRequest(input: SubmitInput, deps: SubmitDeps): Promise<{ reference: string }> {
  const { store, clock, log } = deps;
  const rate = await checkRate(deps, 'email:credential-request', input.email, deps.emailLimit);
  if (!rate.allowed) throw new RateLimited(rate.retryAfterSeconds, 'email');

  let accountCheck: AccountCheck = 'none';
  let existingUsernames: string[] = [];
  try {
    const users = await deps.accounts.usersWithEmail(input.email);
    existingUsernames = users.map((user) => user.username);
    if (users.length > 0) accountCheck = 'exists';
  } catch (error) {
    // The check only informs ops (approval checks again), so it must not cost the requester.
    log.warn('account check for a credential request failed', { error });
    accountCheck = 'unknown';
  }

  try {
    const earlierPending = (await store.pendingReferencesFor(input.email)).slice(0, 5);
    let request: CredentialRequestRecord | undefined;
    // 40 random bits rarely collide; the conditional write makes sure a collision overwrites nothing.
    for (let attempt = 0; attempt < 3 && !request; attempt++) {
      const candidate: CredentialRequestRecord = {
        reference: newReference(),
        status: 'PENDING',
        fullName: input.fullName,
        company: input.company,
        email: input.email,
        ...(input.phone ? { phone: input.phone } : {}),
        reason: input.reason,
        language: input.language,
        createdAt: clock.now(),
        requestIp: input.sourceIp,
        accountCheck,
        existingUsernames,
        earlierPending,
      };
      if (await store.create(candidate)) request = candidate;
    }
    if (!request) throw new Error('no free reference after 3 attempts');
    // One email per request up to the hourly cap, then one notice, then none until the hour ends:
    // a flood of requests cannot flood ops or spend the SES quota the reset emails need.
    const cap = await checkRate(deps, 'global:credential-request-email', 'all', deps.opsEmailLimit);
    const notice = cap.count === deps.opsEmailLimit.limit + 1;
    if (!cap.allowed && !notice) {
      log.warn('credential request stored without an ops email: hourly cap reached', {
        reference: request.reference,
      });
      return { reference: request.reference };
    }
    try {
      await deps.mailer.notifyOps({
        request,
        ...(notice
          ? { capReached: { limit: deps.opsEmailLimit.limit, until: clock.now() + cap.retryAfterSeconds * 1000 } }
          : {}),
      });
    } catch (error) {
      await cap.refund();
      // A request ops never heard of would wait forever: take it back and ask to try again.
      await store.delete(request.reference).catch((deleteError: unknown) => {
        log.error('an unannounced credential request could not be removed', {
          reference: request.reference,
          error: deleteError,
        });
      });
      throw error;
    }
    log.info('credential request received', {
      reference: request.reference,
      accountCheck,
      earlierPending: earlierPending.length,
    });
    return { reference: request.reference };
  } catch (error) {
    await rate.refund();
    throw new TemporarilyUnavailable('storing and announcing the credential request', error);
  }
}

// ---------------------------------------------------------------------------------------------
// Ops decisions

/** How long one ops command may hold a request while it creates the account and sends the email. */
export const DECISION_LEASE_MS = 2 * 60_000;

const RESERVED_USERNAMES = new Set([
  'admin',
  'administrator',
  'root',
  'support',
  'ops',
  'system',
  'security',
  'demo',
  'test',
  'user',
  'null',
  'undefined',
]);

/**
 * The username an address gets: its local part without a +tag, accents dropped, lower case, only
 * a-z 0-9 . _ -, at most 32 characters. jane.doe+support@x.example -> jane.doe.
 */
export function usernameBase(email: string): string {
  const local = (email.split('@')[0] ?? '').split('+')[0] ?? '';
  const base = local
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '.')
    .replace(/[._-]{2,}/g, (run) => run.charAt(0))
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, 32)
    .replace(/[._-]+$/, '');
  return base.length >= 2 ? base : 'user';
}

/** The base, then base2, base3, …: predictable, so ops can tell the user what to expect. */
export function usernameCandidates(email: string, count = 99): string[] {
  const base = usernameBase(email);
  const candidates: string[] = [];
  if (!RESERVED_USERNAMES.has(base)) candidates.push(base);
  for (let n = 2; candidates.length < count; n++) candidates.push(`${base}${n}`);
  return candidates;
}

function describeDecided(request: CredentialRequestRecord): OpsError {
  const when = request.decidedAt
    ? `${new Date(request.decidedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`
    : 'an earlier date';
  const by = request.decidedBy ? ` by ${request.decidedBy}` : '';
  if (request.status === 'APPROVED') {
    return new OpsError(
      'already_approved',
      `${request.reference} was already approved on ${when}${by}: the account is ${request.username ?? '(unknown)'}. Nothing was changed.`,
    );
  }
  return new OpsError(
    'already_rejected',
    `${request.reference} was rejected on ${when}${by} ("${request.rejectionReason ?? ''}"). Nothing was changed; if the person asks again, they can send a new request.`,
  );
}

function parseReference(input: string): string {
  const reference = normaliseReference(input);
  if (!reference) {
    throw new OpsError('invalid_reference', `"${input}" is not a request reference; they look like CR-7KQ4-M2XP.`);
  }
  return reference;
}

export interface DecisionDeps {
  readonly store: CredentialRequestStore;
  readonly clock: Clock;
  readonly log: Log;
  /** Who decides, for the record (the ops person's name). */
  readonly decidedBy: string;
}

/** Reads a request by reference (any spelling people quote), or says why there is none. */
export async function findRequest(input: string, deps: Pick<DecisionDeps, 'store'>): Promise<CredentialRequestRecord> {
  const reference = parseReference(input);
  const request = await deps.store.find(reference);
  if (!request) {
    throw new OpsError('not_found', `There is no request ${reference}. List them with: npm run ops -- requests`);
  }
  return request;
}

/** Takes a pending request for one decision, or explains why it cannot be taken. */
async function claimPending(input: string, deps: DecisionDeps): Promise<CredentialRequestRecord> {
  const found = await findRequest(input, deps);
  if (found.status !== 'PENDING') throw describeDecided(found);
  const now = deps.clock.now();
  const claim = await deps.store.claim(found.reference, now, now + DECISION_LEASE_MS);
  if (claim.claimed) return claim.request;
  if (claim.current && claim.current.status !== 'PENDING') throw describeDecided(claim.current);
  throw new OpsError(
    'busy',
    `${found.reference} is being decided by another ops command right now. Wait two minutes and look again: npm run ops -- show ${found.reference}`,
  );
}

function describeAccounts(users: readonly PortalUser[]): string {
  return users.map((user) => `${user.username}${user.enabled ? '' : ' (disabled)'}`).join(', ');
}

export interface ApproveDeps extends DecisionDeps {
  readonly accounts: AccountAdmin;
  readonly users: Pick<UserDirectory, 'findByLogin' | 'setTemporaryPassword'>;
  readonly temporaryPasswords: TemporaryPasswordStore;
  readonly temporaryPasswordMinutes: number;
  readonly mailer: Pick<CredentialMailer, 'sendWelcome'>;
}

export interface Approval {
  readonly reference: string;
  readonly username: string;
  readonly email: string;
  readonly temporaryPasswordExpiresAt: Date;
}

async function createAccount(request: CredentialRequestRecord, deps: ApproveDeps): Promise<string> {
  for (const candidate of usernameCandidates(request.email)) {
    if (await deps.users.findByLogin(candidate)) continue;
    const created = await deps.accounts.createUser({
      username: candidate,
      email: request.email,
      fullName: request.fullName,
    });
    if (created === 'created') return candidate;
  }
  throw new OpsError('failed', `No free username for ${request.email}; create the account by hand.`);
}

/**
 * Approves a pending request: creates the account (username from the address, email verified),
 * gives it a temporary password that must be changed at first sign-in and works for the same
 * time as a reset's, and emails it. Anything that fails undoes the account and leaves the request
 * pending, so the command can simply be run again.
 */
export async function approveCredentialRequest(input: string, deps: ApproveDeps): Promise<Approval> {
  const { store, accounts, clock, log } = deps;
  const found = await findRequest(input, deps);
  if (found.status !== 'PENDING') throw describeDecided(found);
  const existing = await accounts.usersWithEmail(found.email);
  if (existing.length > 0) {
    throw new OpsError(
      'account_exists',
      `${found.email} already has an account: ${describeAccounts(existing)}. Nothing was created. If the person cannot sign in, they can use "Forgot your password?"; to close the request: npm run ops -- reject ${found.reference} --reason "..."`,
    );
  }

  const request = await claimPending(found.reference, deps);
  let username: string | undefined;
  try {
    username = await createAccount(request, deps);
    // Two requests for one address approved at the same moment: only one account may keep it.
    const owners = await accounts.usersWithEmail(request.email);
    if (owners.length > 1) {
      throw new OpsError(
        'account_exists',
        `${request.email} got another account while this one was created (${describeAccounts(owners)}); nothing was kept.`,
      );
    }
    const temporaryPassword = newTemporaryPassword();
    const issuedAt = clock.now();
    const expiresAt = issuedAt + deps.temporaryPasswordMinutes * 60_000;
    await deps.users.setTemporaryPassword(username, temporaryPassword);
    await deps.temporaryPasswords.record({
      username,
      passwordHash: hashTemporaryPassword(username, temporaryPassword),
      issuedAt,
      expiresAt,
    });
    await deps.mailer.sendWelcome({
      to: request.email,
      language: request.language,
      fullName: request.fullName,
      reference: request.reference,
      username,
      temporaryPassword,
      expiresAt: new Date(expiresAt),
      validMinutes: deps.temporaryPasswordMinutes,
    });
    try {
      await store.decide(request.reference, {
        status: 'APPROVED',
        username,
        decidedAt: clock.now(),
        decidedBy: deps.decidedBy,
      });
    } catch (error) {
      // The account exists and its owner has the email: report success. Approving again would
      // find the account and change nothing.
      log.error('approved, but recording the decision failed', { reference: request.reference, error });
    }
    log.info('credential request approved', { reference: request.reference, username });
    return {
      reference: request.reference,
      username,
      email: request.email,
      temporaryPasswordExpiresAt: new Date(expiresAt),
    };
  } catch (error) {
    // Never an account whose owner was not told: remove what was created, give the request back.
    if (username) {
      const created = username;
      await accounts.deleteUser(created).catch((deleteError: unknown) => {
        log.error('removing the half-created account failed', { username: created, error: deleteError });
      });
      await deps.temporaryPasswords.clear(created).catch(() => undefined);
    }
    await store.release(request.reference).catch((releaseError: unknown) => {
      log.error('releasing the request failed; its lease will lapse', { error: releaseError });
    });
    if (error instanceof OpsError) throw error;
    throw new OpsError(
      'failed',
      `Approving ${request.reference} failed and was undone (${describeFailure(error)}). The request is still pending: run the command again.`,
    );
  }
}

export interface RejectDeps extends DecisionDeps {
  readonly mailer: Pick<CredentialMailer, 'sendRejected'>;
}

export const REJECTION_REASON_MAX = 500;

/** Rejects a pending request and tells the person politely why; nothing changes if the email fails. */
export async function rejectCredentialRequest(
  input: string,
  reason: string,
  deps: RejectDeps,
): Promise<{ reference: string; email: string }> {
  const text = reason.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (text.length < 3 || text.length > REJECTION_REASON_MAX || /[\p{Cc}\p{Cf}<>]/u.test(text)) {
    throw new OpsError(
      'invalid_reason',
      `Give the reason the person will read, 3 to ${REJECTION_REASON_MAX} characters, without < >: --reason "..."`,
    );
  }
  const request = await claimPending(input, deps);
  try {
    await deps.mailer.sendRejected({
      to: request.email,
      language: request.language,
      fullName: request.fullName,
      reference: request.reference,
      requestedAt: new Date(request.createdAt),
      reason: text,
    });
  } catch (error) {
    await deps.store.release(request.reference).catch(() => undefined);
    throw new OpsError(
      'failed',
      `The rejection email for ${request.reference} could not be sent (${describeFailure(error)}); the request is still pending. Run the command again.`,
    );
  }
  try {
    await deps.store.decide(request.reference, {
      status: 'REJECTED',
      reason: text,
      decidedAt: deps.clock.now(),
      decidedBy: deps.decidedBy,
    });
  } catch (error) {
    deps.log.error('rejected, but recording the decision failed', { reference: request.reference, error });
  }
  deps.log.info('credential request rejected', { reference: request.reference });
  return { reference: request.reference, email: request.email };
}

// ---------------------------------------------------------------------------------------------
// Accounts

export interface AccountStateDeps {
  readonly accounts: Pick<AccountAdmin, 'setEnabled'>;
  readonly users: Pick<UserDirectory, 'findByLogin' | 'signOutEverywhere'>;
  readonly sessions: Pick<SessionStore, 'deleteAllSessions'>;
  readonly generations: CredentialGenerations;
  readonly clock: Clock;
  readonly log: Log;
}

/**
 * Disables or enables an account, found by username or email. Disabling first ends the user's
 * portal sessions (the credential generation moves on, the records go) and revokes Cognito's
 * tokens, then disables the account and moves the generation on once more: a sign-in that was
 * checked in between carries the older generation, so no session survives the gap.
 */
export async function setAccountEnabled(
  login: string,
  enabled: boolean,
  deps: AccountStateDeps,
): Promise<{ username: string; changed: boolean; sessionsEnded: number }> {
  const user = await deps.users.findByLogin(login.trim().toLowerCase());
  if (!user) {
    throw new OpsError(
      'user_not_found',
      `No account matches "${login}" (by username, or by an email address only one account has). List them with: npm run ops -- users`,
    );
  }
  let sessionsEnded = 0;
  if (!enabled) {
    await deps.generations.bump(user.username, deps.clock.now());
    sessionsEnded = await deps.sessions.deleteAllSessions(user.username);
    await deps.users.signOutEverywhere(user.username);
  }
  if (user.enabled === enabled) return { username: user.username, changed: false, sessionsEnded };
  await deps.accounts.setEnabled(user.username, enabled);
  if (!enabled) await deps.generations.bump(user.username, deps.clock.now());
  deps.log.info(enabled ? 'account enabled' : 'account disabled', { username: user.username });
  return { username: user.username, changed: true, sessionsEnded };
}

/** A dependency failure in words ops can act on, without a stack trace. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
