import { checkRate, rateKey } from '../../../lambdas/domain/rate-limit';
import { FakeClock, MemoryRateCounter, silentLog } from '../../support/in-memory';

describe('rate limits', () => {
  const limit = { limit: 3, windowSeconds: 60 };

  it('allows up to the limit in a window, then refuses until the window ends', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 26, 18, 0, 15));
    const deps = { counter: new MemoryRateCounter(), clock, log: silentLog };
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await checkRate(deps, 'ip:x', '203.0.113.7', limit));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results[3]?.retryAfterSeconds).toBe(45);
    clock.advance(45_000);
    expect((await checkRate(deps, 'ip:x', '203.0.113.7', limit)).allowed).toBe(true);
  });

  it('counts each subject and scope apart', async () => {
    const deps = { counter: new MemoryRateCounter(), clock: new FakeClock(), log: silentLog };
    for (let i = 0; i < 3; i++) await checkRate(deps, 'ip:x', 'a', limit);
    expect((await checkRate(deps, 'ip:x', 'b', limit)).allowed).toBe(true);
    expect((await checkRate(deps, 'ip:y', 'a', limit)).allowed).toBe(true);
    expect((await checkRate(deps, 'ip:x', 'a', limit)).allowed).toBe(false);
  });

  it('keeps no IP address or email in its keys', () => {
    const key = rateKey('account:sign-in', 'Demo@Example.com', 0);
    expect(key).not.toMatch(/demo|example/i);
    expect(key).toBe(rateKey('account:sign-in', 'demo@example.com', 0));
  });

  it('lets requests through when the counter store fails', async () => {
    const counter = new MemoryRateCounter();
    counter.failWith = new Error('DynamoDB down');
    const check = await checkRate({ counter, clock: new FakeClock(), log: silentLog }, 'ip:x', 'a', limit);
    expect(check.allowed).toBe(true);
  });
});
