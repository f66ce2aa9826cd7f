// Fixed-window rate limiting on atomic counters. A counter that cannot be read lets the request
// through (and logs): an outage of the counter store must not lock everyone out.
import { createHash } from 'node:crypto';
import type { RateLimit } from '../definitions/rate-limits';
import { DomainError } from './errors';
import type { Clock, Log } from './ports';

export interface RateCounter {
  /** Adds `delta` (default 1) to the counter `key` and returns the new count; it expires at `expiresAt` (epoch ms). */
  hit(key: string, expiresAt: number, delta?: number): Promise<number>;
}

/** Failures counted under one key, and when the last one happened (for backoff). */
export interface FailureTally {
  readonly count: number;
  readonly lastAt: number;
}

export interface FailureCounter {
  /** The failures counted under `key`; undefined when there are none. */
  failures(key: string): Promise<FailureTally | undefined>;
  /** Counts one failure at `now`; the tally expires at `expiresAt` (epoch ms). */
  addFailure(key: string, now: number, expiresAt: number): Promise<FailureTally>;
}

export class RateLimited extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    readonly scope: 'ip' | 'account' | 'email',
  ) {
    super('rate_limited', `rate limit reached (${scope})`, { retryAfterSeconds });
  }
}

/** Identifiers (IPs, logins) are hashed into keys: the table holds no address or email. */
export function rateKey(scope: string, subject: string, windowStart: number): string {
  const digest = createHash('sha256').update(subject.toLowerCase()).digest('hex').slice(0, 32);
  return `${scope}#${digest}#${windowStart}`;
}

/** The start and end (epoch ms) of the fixed window `now` falls in. */
export function windowAt(now: number, windowSeconds: number): { start: number; end: number } {
  const ms = windowSeconds * 1000;
  const start = Math.floor(now / ms) * ms;
  return { start, end: start + ms };
}

export interface RateCheck {
  readonly allowed: boolean;
  readonly count: number;
  readonly retryAfterSeconds: number;
  /** Gives the hit back, when the work it counted did not happen (best effort). */
  refund(): Promise<void>;
}

export async function checkRate(
  deps: { counter: RateCounter; clock: Clock; log: Log },
  scope: string,
  subject: string,
  limit: RateLimit,
): Promise<RateCheck> {
  const now = deps.clock.now();
  const windowMs = limit.windowSeconds * 1000;
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const windowEnd = windowStart + windowMs;
  const retryAfterSeconds = Math.max(1, Math.ceil((windowEnd - now) / 1000));
  const key = rateKey(scope, subject, windowStart);
  const refund = async () => {
    await deps.counter.hit(key, windowEnd, -1).catch((error: unknown) => {
      deps.log.warn('rate counter refund failed', { scope, error });
    });
  };
  try {
    const count = await deps.counter.hit(key, windowEnd);
    return { allowed: count <= limit.limit, count, retryAfterSeconds, refund };
  } catch (error) {
    deps.log.error('rate counter unavailable; request allowed', { scope, error });
    return { allowed: true, count: 0, retryAfterSeconds, refund: async () => undefined };
  }
}
