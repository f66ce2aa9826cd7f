// When a Support Access session may answer a tool's login: how fresh it must be (prompt=login,
// max_age), and that a disabled or unknown account never signs in to a tool.

import type { AuthenticationMethod } from '../../../lambdas/definitions/second-factors';
import type { ProviderAccount, ProviderAccounts } from '../../../lambdas/domain/ports';
import { hashToken, newToken } from '../../../lambdas/domain/secrets';
import { loginFromSession } from '../../../lambdas/oidc/interactions';
import { FakeClock, MemoryGenerations, MemorySessionStore, silentLog } from '../../support/in-memory';

const anna: ProviderAccount = {
  sub: '2f7a1c1e-0000-4000-8000-000000000001',
  username: 'anna.rossi',
  email: 'anna@example.com',
  emailVerified: true,
  name: 'Anna Rossi',
  enabled: true,
};

function setup(account: ProviderAccount | null = anna) {
  const clock = new FakeClock();
  const sessions = new MemorySessionStore();
  const accounts: ProviderAccounts = {
    find: async (login) => (login === 'anna.rossi' ? (account ?? undefined) : undefined),
  };
  return { clock, sessions, accounts, generations: new MemoryGenerations(), idleMinutes: 30, log: silentLog };
}

async function session(
  deps: ReturnType<typeof setup>,
  createdAt: number,
  amr?: readonly AuthenticationMethod[],
): Promise<string> {
  const value = newToken();
  await deps.sessions.createSession({
    hash: hashToken(value),
    username: 'anna.rossi',
    generation: await deps.generations.current('anna.rossi'),
    createdAt,
    lastSeenAt: deps.clock.now(),
    expiresAt: createdAt + 8 * 3_600_000,
    ...(amr ? { amr } : {}),
  });
  return value;
}

describe('loginFromSession', () => {
  it('a valid session signs in with the Cognito sub, amr pwd and the time of the sign-in', async () => {
    const deps = setup();
    const started = deps.clock.now() - 60_000;
    const cookie = await session(deps, started);
    await expect(loginFromSession({ params: {} }, cookie, undefined, deps)).resolves.toEqual({
      login: {
        accountId: anna.sub,
        amr: ['pwd'],
        acr: 'urn:support-access:acr:pwd',
        ts: Math.floor(started / 1000),
        remember: true,
      },
    });
  });

  it.each([
    [['pwd', 'otp'], 'urn:support-access:acr:mfa'],
    [['pwd', 'mfa'], 'urn:support-access:acr:mfa'],
    [['pwd', 'swk'], 'phr'],
    [['swk', 'mfa'], 'phr'],
    [['hwk', 'mfa'], 'phrh'],
    [['pwd', 'hwk'], 'phrh'],
  ] as const)('the ID token names the methods the session recorded (%j) and their strength (%s)', async (amr, acr) => {
    const deps = setup();
    const started = deps.clock.now() - 60_000;
    const cookie = await session(deps, started, amr);
    await expect(loginFromSession({ params: {} }, cookie, undefined, deps)).resolves.toEqual({
      login: { accountId: anna.sub, amr: [...amr], acr, ts: Math.floor(started / 1000), remember: true },
    });
  });

  it('no cookie, a malformed cookie, an unknown or expired session: login required', async () => {
    const deps = setup();
    expect(await loginFromSession({ params: {} }, undefined, undefined, deps)).toBe('login_required');
    expect(await loginFromSession({ params: {} }, 'not-a-token', undefined, deps)).toBe('login_required');
    expect(await loginFromSession({ params: {} }, newToken(), undefined, deps)).toBe('login_required');
    const cookie = await session(deps, deps.clock.now());
    deps.clock.advance(8 * 3_600_000 + 1);
    expect(await loginFromSession({ params: {} }, cookie, undefined, deps)).toBe('login_required');
  });

  it('a session from before a reset or a disable, or left idle, answers no tool', async () => {
    const deps = setup();
    const before = await session(deps, deps.clock.now());
    await deps.generations.bump('anna.rossi');
    expect(await loginFromSession({ params: {} }, before, undefined, deps)).toBe('login_required');
    const idle = await session(deps, deps.clock.now());
    deps.clock.advance(31 * 60_000);
    expect(await loginFromSession({ params: {} }, idle, undefined, deps)).toBe('login_required');
  });

  it('prompt=login: only a sign-in made after the tool asked counts', async () => {
    const deps = setup();
    const asked = deps.clock.now();
    const before = await session(deps, asked - 1);
    expect(await loginFromSession({ params: { prompt: 'login' } }, before, asked, deps)).toBe('login_required');
    const after = await session(deps, asked + 1);
    expect(await loginFromSession({ params: { prompt: 'login' } }, after, asked, deps)).toMatchObject({
      login: { accountId: anna.sub },
    });
  });

  it('max_age: a sign-in older than the tool allows is not enough', async () => {
    const deps = setup();
    const cookie = await session(deps, deps.clock.now() - 301_000);
    expect(await loginFromSession({ params: { max_age: 300 } }, cookie, undefined, deps)).toBe('login_required');
    expect(await loginFromSession({ params: { max_age: 400 } }, cookie, undefined, deps)).toMatchObject({
      login: { accountId: anna.sub },
    });
  });

  it('a disabled or vanished account signs in to no tool, whatever its session', async () => {
    for (const account of [{ ...anna, enabled: false }, null]) {
      const deps = setup(account);
      const cookie = await session(deps, deps.clock.now());
      expect(await loginFromSession({ params: {} }, cookie, undefined, deps)).toBe('login_required');
    }
  });
});
