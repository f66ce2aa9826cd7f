import fc from 'fast-check';
import { rateLimitDefaults } from '../../../lambdas/definitions/rate-limits';
import { hashTemporaryPassword } from '../../../lambdas/domain/secrets';
import { signIn } from '../../../lambdas/domain/sessions';
import { backoffSeconds } from '../../../lambdas/domain/sign-in-limits';
import { memorySessionDeps } from '../../support/session-deps';

const OWNER_SOURCE = '198.51.100.20';
const ATTACKER = '203.0.113.66';

function setup() {
  const deps = memorySessionDeps();
  deps.users.add({ username: 'demo', email: 'demo@example.com', password: 'Correct-Horse-42' });
  // Start at the beginning of an hour, so fixed windows do not end in the middle of a test.
  deps.clock.time = Date.UTC(2026, 10, 26, 18, 0, 0);
  /** What a completed reset leaves: a temporary password in the directory and its record. */
  const reset = async (password: string) => {
    await deps.users.setTemporaryPassword('demo', password);
    await deps.temporaryPasswords.record({
      username: 'demo',
      passwordHash: hashTemporaryPassword('demo', password),
      issuedAt: deps.clock.now(),
      expiresAt: deps.clock.now() + 60 * 60_000,
    });
  };
  const attempt = (login: string, password: string, source: string) =>
    signIn(login, password, source, deps).then(
      (result) => result.kind as string,
      (error: { code?: string; retryAfterSeconds?: number }) =>
        error.code === 'rate_limited' ? `429 after ${error.retryAfterSeconds}s` : String(error.code),
    );
  return { deps, reset, attempt };
}

describe('sign-in limits', () => {
  it('counts failures, not attempts: any number of correct sign-ins is never refused', async () => {
    const { attempt } = setup();
    for (let i = 0; i < 60; i++) expect(await attempt('demo', 'Correct-Horse-42', OWNER_SOURCE)).toBe('signed_in');
  });

  it('slows one source down on one login after 5 failures, doubling the wait, and leaves the owner elsewhere alone', async () => {
    const { attempt, deps } = setup();
    for (let i = 0; i < 5; i++) expect(await attempt('demo', 'wrong', ATTACKER)).toBe('invalid_credentials');
    expect(await attempt('demo', 'wrong', ATTACKER)).toBe('429 after 15s');
    // The owner, from their own address, is not slowed by the attacker's failures.
    expect(await attempt('demo', 'Correct-Horse-42', OWNER_SOURCE)).toBe('signed_in');
    deps.clock.advance(15_000);
    expect(await attempt('demo', 'wrong', ATTACKER)).toBe('invalid_credentials');
    expect(await attempt('demo', 'wrong', ATTACKER)).toBe('429 after 30s');
    deps.clock.advance(30_000);
    expect(await attempt('demo', 'wrong', ATTACKER)).toBe('invalid_credentials');
    expect(await attempt('demo', 'wrong', ATTACKER)).toBe('429 after 60s');
  });

  it('refuses a known and an unknown login alike, so a refusal says nothing about accounts', async () => {
    const { attempt } = setup();
    const answers = async (login: string) => {
      const seen: string[] = [];
      for (let i = 0; i < 7; i++) seen.push(await attempt(login, 'wrong', ATTACKER));
      return seen;
    };
    expect(await answers('demo')).toEqual(await answers('nobody'));
    expect(await answers('demo@example.com')).toEqual(await answers('nobody@example.com'));
  });

  it('the per-login ceiling: past it the owner waits, but a temporary password from a reset still signs in', async () => {
    const { attempt, reset, deps } = setup();
    const ceiling = rateLimitDefaults.signInPerAccount.limit;
    // Many sources, each staying inside its own free failures: only the ceiling stops them.
    for (let i = 0; i < ceiling; i++) {
      expect(await attempt('demo', 'wrong', `10.0.${Math.floor(i / 4)}.1`)).toBe('invalid_credentials');
      if (i % 4 === 3) deps.clock.advance(1000);
    }
    expect(await attempt('demo', 'Correct-Horse-42', OWNER_SOURCE)).toMatch(/^429 after \d+s$/);
    expect(await attempt('demo', 'wrong', '10.9.9.9')).toMatch(/^429/);
    await reset('Emailed-Temp-Pass-2026');
    expect(await attempt('demo', 'Emailed-Temp-Pass-2026', OWNER_SOURCE)).toBe('new_password_required');
    // Not a way around the ceiling for guessers: any other password is still refused unchecked.
    expect(await attempt('demo', 'Emailed-Temp-Pass-2025', OWNER_SOURCE)).toMatch(/^429/);
  });

  it('a temporary password passes every limit, even from the attacker’s own address', async () => {
    const { attempt, reset } = setup();
    for (let i = 0; i < 30; i++) await attempt(`someone-${i}`, 'wrong', ATTACKER);
    expect(await attempt('demo', 'Correct-Horse-42', ATTACKER)).toMatch(/^429/);
    await reset('Emailed-Temp-Pass-2026');
    expect(await attempt('demo', 'Emailed-Temp-Pass-2026', ATTACKER)).toBe('new_password_required');
  });

  it('an expired temporary password gets no pass', async () => {
    const { attempt, reset, deps } = setup();
    await reset('Emailed-Temp-Pass-2026');
    deps.clock.advance(61 * 60_000);
    for (let i = 0; i < 5; i++) await attempt('demo', 'wrong', ATTACKER);
    expect(await attempt('demo', 'Emailed-Temp-Pass-2026', ATTACKER)).toMatch(/^429/);
  });

  it('stops spraying: 30 failures from one source across many logins, then that source waits', async () => {
    const { attempt } = setup();
    for (let i = 0; i < 30; i++) expect(await attempt(`user${i}`, 'wrong', ATTACKER)).toBe('invalid_credentials');
    expect(await attempt('user99', 'wrong', ATTACKER)).toMatch(/^429/);
    expect(await attempt('demo', 'Correct-Horse-42', OWNER_SOURCE)).toBe('signed_in');
  });

  it('counts a wrong temporary password and a disabled account as failures too', async () => {
    const { attempt, deps } = setup();
    deps.users.add({ username: 'gone', email: 'gone@example.com', password: 'Correct-Horse-42', enabled: false });
    for (let i = 0; i < 5; i++) expect(await attempt('gone', 'Correct-Horse-42', ATTACKER)).toBe('invalid_credentials');
    expect(await attempt('gone', 'Correct-Horse-42', ATTACKER)).toMatch(/^429/);
  });

  it('lets sign-in through when the counter store is down (and counts nothing)', async () => {
    const { attempt, deps } = setup();
    deps.counter.failWith = new Error('DynamoDB down');
    for (let i = 0; i < 8; i++) expect(await attempt('demo', 'wrong', ATTACKER)).toBe('invalid_credentials');
    expect(await attempt('demo', 'Correct-Horse-42', ATTACKER)).toBe('signed_in');
  });
});

describe('backoffSeconds', () => {
  const policy = rateLimitDefaults.signInPerAccountAndSource;
  it('is free, then grows without ever shrinking, capped, then blocks at the limit', () => {
    fc.assert(
      fc.property(fc.nat(1000), (failures) => {
        const wait = backoffSeconds(failures, policy);
        const next = backoffSeconds(failures + 1, policy);
        expect(next).toBeGreaterThanOrEqual(wait);
        if (failures < policy.freeFailures) expect(wait).toBe(0);
        else if (failures < policy.limit) {
          expect(wait).toBeGreaterThanOrEqual(policy.firstDelaySeconds);
          expect(wait).toBeLessThanOrEqual(policy.maxDelaySeconds);
        } else expect(wait).toBe(Number.POSITIVE_INFINITY);
      }),
    );
  });
});
