// The limits in front of sign-in, built so that an attacker can slow guessing down but never lock
// the owner out. They count FAILURES (a correct password costs nothing), per login and source
// together (one attacker's address slows only itself), with a high per-login ceiling across all
// sources; each limit answers 429 with a Retry-After the page shows. A live temporary password
// (emailed by a completed reset or an approval: random, > 100 bits) passes all of them, so
// "Forgot your password?" always gets the owner back in.
import type { RateLimit, SignInBackoff } from '../definitions/rate-limits';
import type { Clock, Log } from './ports';
import { type FailureCounter, type FailureTally, RateLimited, rateKey, windowAt } from './rate-limit';

export interface SignInLimits {
  /** Failures per login, from every source: the ceiling. */
  readonly perAccount: RateLimit;
  /** Failures per login and source: the backoff. */
  readonly perAccountAndSource: SignInBackoff;
  /** Failures per source, whatever the login: the fence against spraying many accounts. */
  readonly perSource: RateLimit;
}

export interface SignInLimitDeps {
  readonly failures: FailureCounter;
  readonly signInLimits: SignInLimits;
  readonly clock: Clock;
  readonly log: Log;
}

/**
 * Seconds the pair must wait after its last failure, given how many it has had in the window:
 * 0 while failures are free, then first, 2 x first, 4 x first, … up to the maximum; Infinity from
 * the limit (until the window ends).
 */
export function backoffSeconds(failures: number, policy: SignInBackoff): number {
  if (failures >= policy.limit) return Number.POSITIVE_INFINITY;
  if (failures < policy.freeFailures) return 0;
  const doublings = Math.min(failures - policy.freeFailures, 30);
  return Math.min(policy.maxDelaySeconds, policy.firstDelaySeconds * 2 ** doublings);
}

export interface SignInGate {
  /** Why this attempt would be refused, if it would. */
  readonly refusal: RateLimited | undefined;
  /** Counts a failed attempt against the login, the login and source, and the source. */
  recordFailure(): Promise<void>;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Reads the limits for one attempt. The login is the one typed (normalised), known or not, so a
 * refusal says nothing about whether an account has it. A counter store that cannot be read lets
 * the attempt through (and logs): its outage must not lock everyone out.
 */
export async function signInGate(login: string, source: string, deps: SignInLimitDeps): Promise<SignInGate> {
  const { perAccount, perAccountAndSource, perSource } = deps.signInLimits;
  const now = deps.clock.now();
  const windows = {
    account: windowAt(now, perAccount.windowSeconds),
    pair: windowAt(now, perAccountAndSource.windowSeconds),
    source: windowAt(now, perSource.windowSeconds),
  };
  const keys = {
    account: rateKey('fail:sign-in:account', login, windows.account.start),
    pair: rateKey('fail:sign-in:pair', `${login}\n${source}`, windows.pair.start),
    source: rateKey('fail:sign-in:source', source, windows.source.start),
  };
  const read = (key: string) =>
    deps.failures.failures(key).catch((error: unknown): FailureTally | undefined => {
      deps.log.error('sign-in failure counter unavailable; attempt allowed', { error });
      return undefined;
    });
  const [account, pair, fromSource] = await Promise.all([read(keys.account), read(keys.pair), read(keys.source)]);

  let refusal: RateLimited | undefined;
  if ((fromSource?.count ?? 0) >= perSource.limit) {
    refusal = new RateLimited(seconds(windows.source.end - now), 'ip');
  } else if ((account?.count ?? 0) >= perAccount.limit) {
    refusal = new RateLimited(seconds(windows.account.end - now), 'account');
  } else if (pair) {
    const wait = backoffSeconds(pair.count, perAccountAndSource);
    const until = Number.isFinite(wait) ? Math.min(pair.lastAt + wait * 1000, windows.pair.end) : windows.pair.end;
    if (until > now) refusal = new RateLimited(seconds(until - now), 'account');
  }

  return {
    refusal,
    recordFailure: async () => {
      const at = deps.clock.now();
      await Promise.all(
        (['account', 'pair', 'source'] as const).map((which) =>
          deps.failures.addFailure(keys[which], at, windows[which].end),
        ),
      ).catch((error: unknown) => {
        deps.log.error('counting a sign-in failure failed', { error });
      });
    },
  };
}
