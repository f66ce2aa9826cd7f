// The credential-request flow on in-memory ports: the form's request, and the ops decisions.
import { REFERENCE_PATTERN } from '../../../lambdas/definitions/credential-request';
import { rateLimitDefaults } from '../../../lambdas/definitions/rate-limits';
import {
  approveCredentialRequest,
  OpsError,
  rejectCredentialRequest,
  setAccountEnabled,
  submitCredentialRequest,
  usernameBase,
  usernameCandidates,
} from '../../../lambdas/domain/credential-requests';
import { TemporarilyUnavailable } from '../../../lambdas/domain/errors';
import { RateLimited } from '../../../lambdas/domain/rate-limit';
import { hashTemporaryPassword } from '../../../lambdas/domain/secrets';
import { signIn } from '../../../lambdas/domain/sessions';
import {
  FakeClock,
  MemoryGenerations,
  MemoryRateCounter,
  MemorySessionStore,
  MemoryTemporaryPasswords,
  MemoryUserDirectory,
  silentLog,
} from '../../support/in-memory';
import {
  MemoryAccountAdmin,
  MemoryCredentialMailer,
  MemoryCredentialRequestStore,
} from '../../support/in-memory-credentials';
import { memorySessionDeps } from '../../support/session-deps';

let clock: FakeClock;
let store: MemoryCredentialRequestStore;
let directory: MemoryUserDirectory;
let accounts: MemoryAccountAdmin;
let mailer: MemoryCredentialMailer;
let counter: MemoryRateCounter;
let temporaryPasswords: MemoryTemporaryPasswords;
let sessions: MemorySessionStore;

beforeEach(() => {
  clock = new FakeClock();
  store = new MemoryCredentialRequestStore();
  directory = new MemoryUserDirectory();
  directory.add({ username: 'demo', email: 'demo@example.com', password: 'Demo-Password-1' });
  accounts = new MemoryAccountAdmin(directory);
  mailer = new MemoryCredentialMailer();
  counter = new MemoryRateCounter();
  temporaryPasswords = new MemoryTemporaryPasswords();
  sessions = new MemorySessionStore();
});

const anna = {
  fullName: 'Anna Rossi',
  company: 'Rossi & Figli',
  email: 'anna.rossi@customer.example',
  reason: 'New IT contact for our support contract.',
  language: 'it' as const,
  sourceIp: '203.0.113.7',
};

const submitDeps = () => ({
  store,
  accounts,
  mailer,
  counter,
  emailLimit: rateLimitDefaults.credentialRequestsPerEmail,
  opsEmailLimit: rateLimitDefaults.credentialRequestEmailsPerHour,
  clock,
  log: silentLog,
});

const approveDeps = () => ({
  store,
  accounts,
  users: directory,
  temporaryPasswords,
  temporaryPasswordMinutes: 60,
  mailer,
  clock,
  log: silentLog,
  decidedBy: 'olivia',
});

const submit = (fields: Partial<typeof anna> = {}) => submitCredentialRequest({ ...anna, ...fields }, submitDeps());

describe('a request from the form', () => {
  it('is stored pending with who and when, and announced to ops; the answer is a quotable reference', async () => {
    const { reference } = await submit();
    expect(reference).toMatch(REFERENCE_PATTERN);
    expect(store.requests.get(reference)).toMatchObject({
      status: 'PENDING',
      fullName: 'Anna Rossi',
      email: 'anna.rossi@customer.example',
      language: 'it',
      createdAt: clock.now(),
      requestIp: '203.0.113.7',
      accountCheck: 'none',
    });
    expect(mailer.ops.map((n) => n.request.reference)).toEqual([reference]);
  });

  it('gets the same answer for an address that has an account; only ops learn it', async () => {
    const known = await submit({ email: 'demo@example.com' });
    const unknown = await submit({ email: 'nobody@example.com' });
    expect(Object.keys(known)).toEqual(Object.keys(unknown));
    expect(mailer.ops[0]?.request).toMatchObject({ accountCheck: 'exists', existingUsernames: ['demo'] });
    expect(mailer.ops[1]?.request).toMatchObject({ accountCheck: 'none', existingUsernames: [] });
  });

  it('still goes through when the account check fails, flagged for ops', async () => {
    accounts.failLookup = new Error('Cognito down');
    await submit();
    expect(mailer.ops[0]?.request.accountCheck).toBe('unknown');
  });

  it('tells ops about other pending requests for the same address', async () => {
    const first = await submit();
    await submit();
    expect(mailer.ops[1]?.request.earlierPending).toEqual([first.reference]);
  });

  it('is limited per address, whoever sends it and whether or not it has an account', async () => {
    const { limit } = rateLimitDefaults.credentialRequestsPerEmail;
    for (let i = 0; i < limit; i++) await submit({ sourceIp: `198.51.100.${i}` });
    await expect(submit({ sourceIp: '198.51.100.99' })).rejects.toBeInstanceOf(RateLimited);
    await expect(submit({ sourceIp: '198.51.100.99' })).rejects.toMatchObject({ scope: 'email' });
    expect(mailer.ops).toHaveLength(limit);
  });

  it('leaves nothing behind and gives the hit back when the ops email fails', async () => {
    mailer.failNext = new Error('SES throttled');
    await expect(submit()).rejects.toBeInstanceOf(TemporarilyUnavailable);
    expect(store.requests.size).toBe(0);
    // Both hits given back: the address's, and the hourly count of ops emails.
    expect([...counter.counts.values()]).toEqual([0, 0]);
  });

  it('answers "try again" when the table refuses, and never announces a request it did not store', async () => {
    store.failCreate = new Error('DynamoDB down');
    await expect(submit()).rejects.toBeInstanceOf(TemporarilyUnavailable);
    expect(mailer.ops).toHaveLength(0);
  });

  it('takes another reference when one is already taken', async () => {
    store.collide = 1;
    const { reference } = await submit();
    expect(store.requests.has(reference)).toBe(true);
  });
});

describe('usernames', () => {
  it.each([
    ['anna.rossi@customer.example', 'anna.rossi'],
    ['Anna.Rossi+support@customer.example', 'anna.rossi'],
    ['jürgen.müller@firma.example', 'jurgen.muller'],
    ["o'brien@x.example", 'o.brien'],
    ['a@x.example', 'user'],
    ['--__..x..__--@x.example', 'user'],
    [`${'x'.repeat(40)}@x.example`, 'x'.repeat(32)],
  ])('%s -> %s', (email, expected) => {
    expect(usernameBase(email)).toBe(expected);
  });

  it('are made unique with a number, and never a bare reserved name', () => {
    expect(usernameCandidates('jdoe@x.example', 3)).toEqual(['jdoe', 'jdoe2', 'jdoe3']);
    expect(usernameCandidates('admin@x.example', 2)).toEqual(['admin2', 'admin3']);
  });
});

describe('approving', () => {
  it('creates the account, sets a temporary password recorded by hash with the reset lifetime, emails it', async () => {
    const { reference } = await submit();
    const approval = await approveCredentialRequest(reference, approveDeps());
    expect(approval).toMatchObject({ reference, username: 'anna.rossi', email: anna.email });
    const welcome = mailer.welcomes[0];
    expect(welcome).toMatchObject({ to: anna.email, language: 'it', username: 'anna.rossi', validMinutes: 60 });
    expect(directory.users.get('anna.rossi')).toMatchObject({ temporary: true, password: welcome?.temporaryPassword });
    expect(temporaryPasswords.entries.get('anna.rossi')).toEqual({
      username: 'anna.rossi',
      passwordHash: hashTemporaryPassword('anna.rossi', welcome?.temporaryPassword ?? ''),
      issuedAt: clock.now(),
      expiresAt: clock.now() + 60 * 60_000,
    });
    expect(store.requests.get(reference)).toMatchObject({
      status: 'APPROVED',
      username: 'anna.rossi',
      decidedBy: 'olivia',
    });
  });

  it('leads to a forced password change at first sign-in, and the password expires like a reset one', async () => {
    const { reference } = await submit();
    await approveCredentialRequest(reference, approveDeps());
    const password = mailer.welcomes[0]?.temporaryPassword ?? '';
    const deps = { ...memorySessionDeps(), users: directory, failures: counter, sessions, temporaryPasswords, clock };
    await expect(signIn('anna.rossi', password, '203.0.113.7', deps)).resolves.toMatchObject({
      kind: 'new_password_required',
    });
    clock.advance(61 * 60_000);
    await expect(signIn('anna.rossi', password, '203.0.113.7', deps)).rejects.toMatchObject({
      code: 'temporary_password_expired',
    });
  });

  it('accepts the reference as people type it', async () => {
    const { reference } = await submit();
    const sloppy = ` ${reference.toLowerCase().replace(/-/g, ' ')} `;
    await expect(approveCredentialRequest(sloppy, approveDeps())).resolves.toMatchObject({ reference });
  });

  it('picks the next free username when the first is taken', async () => {
    directory.add({ username: 'anna.rossi', email: 'other@example.com', password: 'x' });
    const { reference } = await submit();
    await expect(approveCredentialRequest(reference, approveDeps())).resolves.toMatchObject({
      username: 'anna.rossi2',
    });
  });

  it('twice: the second does nothing and says who approved it and as which account', async () => {
    const { reference } = await submit();
    await approveCredentialRequest(reference, approveDeps());
    const error = await approveCredentialRequest(reference, approveDeps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpsError);
    expect(error).toMatchObject({ code: 'already_approved' });
    expect((error as Error).message).toMatch(/anna\.rossi.*Nothing was changed/);
    expect(mailer.welcomes).toHaveLength(1);
  });

  it('for an address that already has an account: refused, nothing created', async () => {
    const { reference } = await submit({ email: 'demo@example.com' });
    await expect(approveCredentialRequest(reference, approveDeps())).rejects.toMatchObject({
      code: 'account_exists',
    });
    expect([...directory.users.keys()]).toEqual(['demo']);
    expect(store.requests.get(reference)?.status).toBe('PENDING');
  });

  it('a second request for an address approved once: refused as an existing account', async () => {
    const first = await submit();
    const second = await submit();
    await approveCredentialRequest(first.reference, approveDeps());
    await expect(approveCredentialRequest(second.reference, approveDeps())).rejects.toMatchObject({
      code: 'account_exists',
    });
  });

  it('a rejected request: refused', async () => {
    const { reference } = await submit();
    await rejectCredentialRequest(reference, 'Not a customer.', {
      store,
      mailer,
      clock,
      log: silentLog,
      decidedBy: 'o',
    });
    await expect(approveCredentialRequest(reference, approveDeps())).rejects.toMatchObject({
      code: 'already_rejected',
    });
  });

  it('while another command holds it: refused as busy; after the lease it can be approved', async () => {
    const { reference } = await submit();
    await store.claim(reference, clock.now(), clock.now() + 120_000);
    await expect(approveCredentialRequest(reference, approveDeps())).rejects.toMatchObject({ code: 'busy' });
    clock.advance(121_000);
    await expect(approveCredentialRequest(reference, approveDeps())).resolves.toMatchObject({ reference });
  });

  it('unknown or malformed references: clear refusals', async () => {
    await expect(approveCredentialRequest('CR-2222-2222', approveDeps())).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(approveCredentialRequest('hello', approveDeps())).rejects.toMatchObject({
      code: 'invalid_reference',
    });
  });

  it('when the welcome email fails: the account is removed and the request is pending again', async () => {
    const { reference } = await submit();
    mailer.failNext = new Error('SES down');
    await expect(approveCredentialRequest(reference, approveDeps())).rejects.toMatchObject({ code: 'failed' });
    expect(accounts.deleted).toEqual(['anna.rossi']);
    expect(directory.users.has('anna.rossi')).toBe(false);
    expect(temporaryPasswords.entries.has('anna.rossi')).toBe(false);
    expect(store.requests.get(reference)).toMatchObject({ status: 'PENDING' });
    expect(store.requests.get(reference)?.claimUntil).toBeUndefined();
    // Running it again works.
    await expect(approveCredentialRequest(reference, approveDeps())).resolves.toMatchObject({
      username: 'anna.rossi',
    });
  });

  it('when creating the account fails: nothing to undo, the request is pending again', async () => {
    const { reference } = await submit();
    accounts.failCreate = new Error('Cognito throttled');
    await expect(approveCredentialRequest(reference, approveDeps())).rejects.toMatchObject({ code: 'failed' });
    expect(accounts.deleted).toEqual([]);
    expect(store.requests.get(reference)?.claimUntil).toBeUndefined();
  });

  it('reports success when only recording the decision fails (the person has their email)', async () => {
    const { reference } = await submit();
    store.failDecide = new Error('DynamoDB down');
    await expect(approveCredentialRequest(reference, approveDeps())).resolves.toMatchObject({
      username: 'anna.rossi',
    });
    expect(directory.users.has('anna.rossi')).toBe(true);
  });
});

describe('rejecting', () => {
  const rejectDeps = () => ({ store, mailer, clock, log: silentLog, decidedBy: 'olivia' });

  it('records the reason and emails it, politely, in the requester language', async () => {
    const { reference } = await submit();
    await rejectCredentialRequest(reference, '  Please ask your company\n contact.  ', rejectDeps());
    expect(mailer.rejections[0]).toMatchObject({
      to: anna.email,
      language: 'it',
      fullName: 'Anna Rossi',
      reference,
      reason: 'Please ask your company contact.',
    });
    expect(store.requests.get(reference)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'Please ask your company contact.',
      decidedBy: 'olivia',
    });
  });

  it('refuses an empty or marked-up reason, and a decided request', async () => {
    const { reference } = await submit();
    await expect(rejectCredentialRequest(reference, ' ', rejectDeps())).rejects.toMatchObject({
      code: 'invalid_reason',
    });
    await expect(rejectCredentialRequest(reference, '<b>no</b>', rejectDeps())).rejects.toMatchObject({
      code: 'invalid_reason',
    });
    await rejectCredentialRequest(reference, 'No.', rejectDeps());
    await expect(rejectCredentialRequest(reference, 'No again.', rejectDeps())).rejects.toMatchObject({
      code: 'already_rejected',
    });
    expect(mailer.rejections).toHaveLength(1);
  });

  it('changes nothing when the email fails', async () => {
    const { reference } = await submit();
    mailer.failNext = new Error('SES down');
    await expect(rejectCredentialRequest(reference, 'No.', rejectDeps())).rejects.toMatchObject({ code: 'failed' });
    expect(store.requests.get(reference)).toMatchObject({ status: 'PENDING' });
    expect(store.requests.get(reference)?.claimUntil).toBeUndefined();
  });
});

describe('a flood of credential requests', () => {
  it('emails ops once per request up to the hourly cap, then one notice, then nothing; every request is kept', async () => {
    const deps = { ...submitDeps(), opsEmailLimit: { limit: 3, windowSeconds: 3600 } };
    const references: string[] = [];
    for (let i = 0; i < 8; i++) {
      const { reference } = await submitCredentialRequest({ ...anna, email: `person${i}@customer.example` }, deps);
      references.push(reference);
    }
    expect(mailer.ops.map((n) => n.request.reference)).toEqual(references.slice(0, 4));
    expect(mailer.ops.slice(0, 3).every((n) => n.capReached === undefined)).toBe(true);
    expect(mailer.ops[3]?.capReached).toEqual({ limit: 3, until: expect.any(Number) });
    for (const reference of references) expect(store.requests.get(reference)?.status).toBe('PENDING');
  });

  it('counts a notice that could not be sent back, so the next request carries it', async () => {
    const deps = { ...submitDeps(), opsEmailLimit: { limit: 1, windowSeconds: 3600 } };
    await submitCredentialRequest({ ...anna, email: 'a@customer.example' }, deps);
    mailer.failNext = new Error('SES down');
    await expect(submitCredentialRequest({ ...anna, email: 'b@customer.example' }, deps)).rejects.toMatchObject({
      code: 'temporarily_unavailable',
    });
    await submitCredentialRequest({ ...anna, email: 'c@customer.example' }, deps);
    expect(mailer.ops.map((n) => n.capReached !== undefined)).toEqual([false, true]);
  });
});

describe('disabling and enabling accounts', () => {
  const generations = new MemoryGenerations();
  const deps = () => ({ accounts, users: directory, sessions, generations, clock, log: silentLog });

  it('disabling ends the portal sessions and Cognito tokens, by username or email', async () => {
    await sessions.createSession({
      hash: 'h1',
      username: 'demo',
      generation: 0,
      createdAt: 0,
      expiresAt: Number.MAX_SAFE_INTEGER,
      lastSeenAt: 0,
    });
    await expect(setAccountEnabled('DEMO@example.com', false, deps())).resolves.toEqual({
      username: 'demo',
      changed: true,
      sessionsEnded: 1,
    });
    expect(directory.users.get('demo')?.enabled).toBe(false);
    expect(directory.signedOutEverywhere).toEqual(['demo']);
    // Moved on before and after the switch: a session from a sign-in checked in between is dead too.
    expect(await generations.current('demo')).toBe(2);
    await expect(setAccountEnabled('demo', false, deps())).resolves.toMatchObject({ changed: false });
    await expect(setAccountEnabled('demo', true, deps())).resolves.toMatchObject({ changed: true });
    expect(directory.users.get('demo')?.enabled).toBe(true);
  });

  it('says so when no account matches', async () => {
    await expect(setAccountEnabled('ghost', false, deps())).rejects.toMatchObject({ code: 'user_not_found' });
  });
});
