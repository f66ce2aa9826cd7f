// The sign-in and session dependencies, in memory, with the production limits unless a test says
// otherwise.
import { rateLimitDefaults } from '../../lambdas/definitions/rate-limits';
import type { SessionDeps } from '../../lambdas/domain/sessions';
import {
  FakeClock,
  MemoryGenerations,
  MemoryRateCounter,
  MemorySessionStore,
  MemoryTemporaryPasswords,
  MemoryUserDirectory,
  silentLog,
} from './in-memory';
import { MemoryFactorStore, MemorySealer, MemorySecurityMailer } from './in-memory-factors';

export function memorySessionDeps() {
  const counter = new MemoryRateCounter();
  const deps = {
    users: new MemoryUserDirectory(),
    failures: counter,
    signInLimits: {
      perAccount: rateLimitDefaults.signInPerAccount,
      perAccountAndSource: rateLimitDefaults.signInPerAccountAndSource,
      perSource: rateLimitDefaults.perIp['session-create'],
    },
    sessions: new MemorySessionStore(),
    temporaryPasswords: new MemoryTemporaryPasswords(),
    generations: new MemoryGenerations(),
    clock: new FakeClock(),
    log: silentLog,
    sessionMinutes: 60,
    idleMinutes: 30,
    challengeSeconds: 180,
    contextWords: ['IMS', 'SUPPORT'],
    factors: new MemoryFactorStore(),
    sealer: new MemorySealer(),
    secondFactorLimit: rateLimitDefaults.secondFactorPerAccount,
    issuer: 'IMS SUPPORT',
    secondStepSeconds: 300,
    requireSecondFactor: false as boolean,
    securityMailer: new MemorySecurityMailer(),
    portalName: 'IMS SUPPORT',
  } satisfies SessionDeps;
  return { ...deps, counter };
}
