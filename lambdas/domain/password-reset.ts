// The reset link's life: a request is queued; the worker finds the account, stores a token's hash
// and emails the link; a confirm claims the token once, sets a temporary password and emails it.
import type { Language } from '../definitions/languages';
import { lifetimeDefaults } from '../definitions/lifetimes';
import type { RateLimit } from '../definitions/rate-limits';
import { resetLink } from '../definitions/routes';
import {
  type DomainError,
  LinkBusy,
  LinkExpired,
  LinkInvalid,
  LinkReplaced,
  LinkUsed,
  TemporarilyUnavailable,
} from './errors';
import type {
  ClaimResult,
  Clock,
  CredentialGenerations,
  Log,
  Mailer,
  ResetRequestMessage,
  ResetRequestQueue,
  ResetTokenRecord,
  ResetTokenStore,
  SessionStore,
  TemporaryPasswordStore,
  UserDirectory,
} from './ports';
import { maskLogin } from './privacy';
import { checkRate, type RateCounter } from './rate-limit';
import { hashTemporaryPassword, hashToken, isWellFormedToken, newTemporaryPassword, newToken } from './secrets';

export interface ResetRequestInput {
  readonly language: Language;
  readonly login?: string;
  readonly token?: string;
  readonly sourceIp: string;
  readonly requestId: string;
}

/** Normalises what a person typed: emails and usernames are matched case-insensitively. */
export function normaliseLogin(login: string): string {
  return login.trim().toLowerCase();
}

/**
 * The request endpoint's whole job: the same work for every input, so neither the answer nor its
 * timing says whether an account exists. Throws TemporarilyUnavailable if the queue refuses.
 */
export async function requestPasswordReset(
  input: ResetRequestInput,
  deps: { queue: ResetRequestQueue; clock: Clock },
): Promise<void> {
  const message: ResetRequestMessage = {
    v: 1,
    language: input.language,
    ...(input.login !== undefined ? { login: normaliseLogin(input.login) } : {}),
    // A malformed old link still queues, with a hash that matches nothing: same work, same answer.
    ...(input.token !== undefined ? { tokenHash: hashToken(input.token) } : {}),
    requestedAt: deps.clock.now(),
    sourceIp: input.sourceIp,
    requestId: input.requestId,
  };
  try {
    await deps.queue.enqueue(message);
  } catch (error) {
    throw new TemporarilyUnavailable('queueing the reset request', error);
  }
}

export interface ResetWorkerDeps {
  readonly users: UserDirectory;
  readonly counter: RateCounter;
  readonly resetEmailLimit: RateLimit;
  readonly tokens: ResetTokenStore;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly log: Log;
  readonly siteUrl: string;
  readonly tokenMinutes: number;
}

export type ResetRequestOutcome = 'sent' | 'no_account' | 'account_disabled' | 'account_limit_reached';

/**
 * Handles one queued request. Throws when a dependency fails, so the queue delivers it again
 * (and finally to the dead-letter queue); returns normally when there is nothing to send.
 */
export async function processResetRequest(
  message: ResetRequestMessage,
  deps: ResetWorkerDeps,
): Promise<ResetRequestOutcome> {
  const { users, tokens, mailer, clock, log } = deps;
  let login = message.login;
  if (login === undefined && message.tokenHash !== undefined) {
    // A new link asked for from an old one: the old token names the account.
    login = (await tokens.find(message.tokenHash))?.username;
  }
  const user = login ? await users.findByLogin(login) : undefined;
  if (!user) {
    log.info('reset request matched no account', { login: login ? maskLogin(login) : undefined });
    return 'no_account';
  }
  if (!user.enabled) {
    log.info('reset request for a disabled account: nothing sent', { username: user.username });
    return 'account_disabled';
  }

  // At most a few emails per account per hour, whoever asks: the requester already had the same
  // 202 as everyone, so the limit reveals nothing and an attacker cannot flood an inbox.
  const rate = await checkRate(deps, 'account:reset-email', user.username, deps.resetEmailLimit);
  if (!rate.allowed) {
    log.warn('reset emails for this account are at their limit; nothing sent', { username: user.username });
    return 'account_limit_reached';
  }

  try {
    const token = newToken();
    const now = clock.now();
    const record: ResetTokenRecord = {
      hash: hashToken(token),
      username: user.username,
      status: 'PENDING',
      createdAt: now,
      expiresAt: now + deps.tokenMinutes * 60_000,
      requestIp: message.sourceIp,
    };
    await tokens.create(record);
    // Only the newest link lives: older links stop working once this one exists, whatever their
    // state (a CLAIMED one left by a crashed confirm too, or its lapsed lease would free it again).
    const revoked = await tokens.revokeOthers(user.username, record.hash);
    await mailer.sendResetLink({
      to: user.email,
      language: message.language,
      username: user.username,
      greetingName: user.name?.trim() || user.username,
      resetUrl: resetLink(deps.siteUrl, token),
      expiresAt: new Date(record.expiresAt),
      validMinutes: deps.tokenMinutes,
    });
    log.info('reset link sent', { username: user.username, revokedOlderLinks: revoked });
    return 'sent';
  } catch (error) {
    // Not sent, so not counted: the retry that follows must not be refused by the limit.
    await rate.refund();
    throw error;
  }
}

const CLAIM_POLL_MS = 250;

/**
 * Claims the token. If another request holds the claim (a double click, a second tab), waits a
 * little for it to finish, so this request can say what really happened: "used" once the other
 * succeeded, or a fresh claim if the other gave the link back. While it waits it only reads the
 * token (one GetItem a poll, not a failing update and a read): many waiters must not slow down
 * the one confirm they wait for.
 */
async function claimOrWait(hash: string, deps: ConfirmDeps): Promise<ClaimResult> {
  const deadline = Date.now() + deps.waitForClaimMs;
  const heldAt = (current: ResetTokenRecord | undefined, now: number) =>
    current?.status === 'CLAIMED' && current.expiresAt > now && (current.claimUntil ?? 0) >= now;
  for (;;) {
    const now = deps.clock.now();
    const claim = await deps.tokens.claim(hash, now, now + lifetimeDefaults.claimLeaseSeconds * 1000);
    if (claim.claimed || !heldAt(claim.current, now) || Date.now() >= deadline) return claim;
    let current: ResetTokenRecord | undefined = claim.current;
    while (heldAt(current, deps.clock.now()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, CLAIM_POLL_MS));
      current = await deps.tokens.find(hash);
    }
    if (heldAt(current, deps.clock.now())) return { claimed: false, current };
  }
}

export interface ConfirmDeps {
  readonly users: UserDirectory;
  readonly generations: CredentialGenerations;
  readonly tokens: ResetTokenStore;
  readonly sessions: SessionStore;
  readonly temporaryPasswords: TemporaryPasswordStore;
  readonly temporaryPasswordMinutes: number;
  /** How long to wait for a concurrent confirm of the same link before answering "busy". */
  readonly waitForClaimMs: number;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly log: Log;
}

function refusal(current: ResetTokenRecord | undefined, now: number): DomainError {
  if (!current) return new LinkInvalid();
  switch (current.status) {
    case 'USED':
      return new LinkUsed();
    case 'REVOKED':
      return new LinkReplaced();
    case 'CLAIMED':
      if (current.expiresAt <= now) return new LinkExpired();
      return new LinkBusy();
    case 'PENDING':
      return new LinkExpired();
  }
}

/**
 * Spends a reset link: exactly one concurrent caller wins the claim. If setting the password or
 * sending it fails, the claim is released so the same link works again; a crash mid-way leaves a
 * claim whose lease runs out, after which the link works again too.
 */
export async function confirmPasswordReset(
  token: string,
  language: Language,
  deps: ConfirmDeps,
): Promise<{ username: string }> {
  const { users, tokens, mailer, clock, log } = deps;
  if (!isWellFormedToken(token)) throw new LinkInvalid();
  const hash = hashToken(token);
  const now = clock.now();
  const claim = await claimOrWait(hash, deps);
  if (!claim.claimed) throw refusal(claim.current, clock.now());
  const { username, requestIp, createdAt } = claim.token;

  const user = await users.findByLogin(username).catch(async (error: unknown) => {
    await tokens.release(hash);
    throw new TemporarilyUnavailable('looking up the account', error);
  });
  if (!user?.enabled) {
    // The account went away or was disabled after the link was sent: the link is spent.
    await tokens.markUsed(hash, now);
    log.warn('reset confirmed for a missing or disabled account', { username });
    throw new LinkInvalid();
  }

  const temporaryPassword = newTemporaryPassword();
  const issuedAt = clock.now();
  try {
    // Whoever may hold a session (perhaps the reason for this reset) loses it before the password
    // changes: the records go, Cognito revokes its tokens. If this fails, nothing has changed yet
    // but ended sessions, and the link still works.
    const ended = await deps.sessions.deleteAllSessions(username);
    await users.signOutEverywhere(username);
    log.info('sessions ended before the reset', { username, sessions: ended });
    // A newer link sent meanwhile revoked this one: it is the newest link that may set a password.
    if ((await tokens.find(hash))?.status !== 'CLAIMED') throw new LinkReplaced();
    await users.setTemporaryPassword(username, temporaryPassword);
    // Then the credential generation moves on: every session issued before is dead on its next
    // read, whether or not its record was found above, and one from a sign-in that checked the old
    // password in the gap read the generation before this bump, so it is dead too.
    await deps.generations.bump(username, clock.now());
    // Our own record of what was issued and until when: Cognito's shortest temporary-password
    // validity is a day, ours is an hour, and sign-in checks it.
    await deps.temporaryPasswords.record({
      username,
      passwordHash: hashTemporaryPassword(username, temporaryPassword),
      issuedAt,
      expiresAt: issuedAt + deps.temporaryPasswordMinutes * 60_000,
    });
    await mailer.sendNewPassword({
      to: user.email,
      language,
      username,
      greetingName: user.name?.trim() || username,
      temporaryPassword,
      expiresAt: new Date(issuedAt + deps.temporaryPasswordMinutes * 60_000),
      validMinutes: deps.temporaryPasswordMinutes,
      requestedAt: new Date(createdAt),
      requestIp,
    });
  } catch (error) {
    if (error instanceof LinkReplaced) {
      log.warn('a newer link replaced this one while it was confirmed; no password set', { username });
      throw error;
    }
    // Never a changed password that nobody was told: give the link back and ask to try again.
    // (If the password was set but the email failed, the next try sets and sends a fresh one.)
    log.error('reset confirm failed; link released', { error });
    await tokens.release(hash).catch((releaseError: unknown) => {
      // The lease will lapse on its own; the link works again after it.
      log.error('releasing the claim failed; the lease will lapse', { error: releaseError });
    });
    throw new TemporarilyUnavailable('setting and sending the new password', error);
  }

  // The user has their password now. Should the bookkeeping below fail, the claim's lease lapses
  // and the link could be spent once more, which only sends another fresh password: tell the
  // user it worked rather than ask them to repeat what succeeded.
  try {
    await tokens.markUsed(hash, clock.now());
    // Older links die with this one; a newer one (asked while this confirm ran) stays the newest.
    const revoked = await tokens.revokeOthers(username, hash, createdAt);
    log.info('password reset completed', { username, revokedOtherLinks: revoked });
  } catch (error) {
    log.error('password reset completed but marking the link used failed', { error });
  }
  return { username };
}
