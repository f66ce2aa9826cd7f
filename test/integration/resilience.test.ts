// Faults injected at each dependency (the fault proxies of the local stack), races, and limits:
// no request is lost, no user is left without a way forward.
import { hashToken } from '../../lambdas/domain/secrets';
import {
  Browser,
  clearFaults,
  expireTemporaryPassword,
  inbox,
  injectFault,
  newUser,
  queueIdle,
  queueStats,
  resetLinkFor,
  temporaryPasswordIn,
  waitForEmail,
} from './helpers';

jest.setTimeout(60_000);

type User = { username: string; email: string };

afterEach(async () => {
  await clearFaults();
  await queueIdle();
});

describe('a failing dependency during confirm keeps the link usable', () => {
  it.each([
    ['SES fails to send the new password', 'ses', 'error', (u: User) => ['outbound-emails', u.email]],
    ['SES throttles', 'ses', 'throttle', (u: User) => ['outbound-emails', u.email]],
    ['Cognito fails to set the password', 'cognito', 'error', (u: User) => ['AdminSetUserPassword', u.username]],
    ['Cognito throttles the lookup', 'cognito', 'throttle', (u: User) => ['AdminGetUser', u.username]],
    ['DynamoDB fails the claim', 'dynamodb', 'error', (_u: User, token: string) => ['UpdateItem', hashToken(token)]],
  ] as const)('%s: 503 "try again", then the same link works', async (_name, service, kind, match) => {
    const user = await newUser();
    const token = await resetLinkFor(user);
    const before = (await inbox()).length;
    await injectFault({ service, kind, times: 1, match: match(user, token) });
    const failed = await new Browser().call('POST', '/api/password-reset/confirm', { token });
    expect(failed.status).toBe(503);
    expect(failed.headers['retry-after']).toBe('30');
    expect(failed.body.message).toMatch(/try again/i);
    expect(JSON.stringify(failed.body)).not.toMatch(/injected|Internal|Throttl/);

    const retried = await new Browser().call('POST', '/api/password-reset/confirm', { token });
    expect(retried.status).toBe(200);
    const email = await waitForEmail(user.email, 'your new password', before);
    const temporary = temporaryPasswordIn(email);
    const signIn = await new Browser().call('POST', '/api/session', { username: user.username, password: temporary });
    expect(signIn.body.challenge).toBe('NEW_PASSWORD_REQUIRED');
  });
});

describe('the request endpoint never drops a request silently', () => {
  it('answers 503 when the queue refuses, and 202 once it accepts again', async () => {
    const user = await newUser();
    await injectFault({ service: 'sqs', kind: 'error', times: 1, match: [user.username] });
    const refused = await new Browser().call('POST', '/api/password-reset', { login: user.username });
    expect(refused.status).toBe(503);
    const before = (await inbox()).length;
    const accepted = await new Browser().call('POST', '/api/password-reset', { login: user.username });
    expect(accepted.status).toBe(202);
    await waitForEmail(user.email, 'reset your password', before);
  });
});

describe('the queue worker retries, then parks what it cannot deliver', () => {
  it('delivers the reset email after SES throttles the first two tries', async () => {
    const user = await newUser();
    const { retried } = await queueStats();
    await injectFault({ service: 'ses', kind: 'throttle', times: 2, match: ['outbound-emails', user.email] });
    const before = (await inbox()).length;
    await new Browser().call('POST', '/api/password-reset', { login: user.username });
    await waitForEmail(user.email, 'reset your password', before);
    expect((await queueStats()).retried).toBeGreaterThanOrEqual(retried + 2);
  });

  it('moves a request that keeps failing to the dead-letter queue, and the user can simply ask again', async () => {
    const user = await newUser();
    const { deadLetters } = await queueStats();
    await injectFault({ service: 'ses', kind: 'error', times: 5, match: ['outbound-emails', user.email] });
    await new Browser().call('POST', '/api/password-reset', { login: user.username });
    await queueIdle();
    const after = await queueStats();
    expect(after.deadLetters).toHaveLength(deadLetters.length + 1);
    expect(after.deadLetters.at(-1)).not.toContain(user.email);
    await clearFaults();
    await resetLinkFor(user);
  });
});

describe('races', () => {
  it('50 concurrent confirms of one link: one new password, 49 times 410', async () => {
    const user = await newUser();
    const token = await resetLinkFor(user);
    const before = (await inbox()).length;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => new Browser().call('POST', '/api/password-reset/confirm', { token })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, ...Array(49).fill(410)]);
    expect(answers.filter((a) => a.status === 410).every((a) => a.body.error === 'link_used')).toBe(true);
    await queueIdle();
    const emails = (await inbox()).slice(0, (await inbox()).length - before);
    expect(emails.filter((e) => e.to === user.email && e.subject.includes('new password'))).toHaveLength(1);
  });

  it('20 concurrent requests for one account send no more emails than the account limit', async () => {
    const user = await newUser();
    const before = (await inbox()).length;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => new Browser().call('POST', '/api/password-reset', { login: user.email })),
    );
    expect(answers.every((a) => a.status === 202)).toBe(true);
    await queueIdle();
    const emails = (await inbox()).slice(0, (await inbox()).length - before).filter((e) => e.to === user.email);
    expect(emails).toHaveLength(3);
  });
});

describe('limits and lifetimes', () => {
  it('refuses an IP past its limit with 429 and Retry-After, while other IPs go on', async () => {
    const flooder = new Browser();
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push(await flooder.call('POST', '/api/password-reset', { login: `x${i}` }));
    expect(answers.slice(0, 10).every((a) => a.status === 202)).toBe(true);
    const refused = answers[10];
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused?.body.message).toMatch(/Wait \d+ minutes?/);
    expect((await new Browser().call('POST', '/api/password-reset', { login: 'x' })).status).toBe(202);
  });

  it('refuses an emailed password after its lifetime, pointing to "Forgot your password?"', async () => {
    const user = await newUser();
    const token = await resetLinkFor(user);
    const before = (await inbox()).length;
    await new Browser().call('POST', '/api/password-reset/confirm', { token });
    const temporary = temporaryPasswordIn(await waitForEmail(user.email, 'your new password', before));
    await expireTemporaryPassword(user.username);
    const answer = await new Browser().call('POST', '/api/session', { username: user.username, password: temporary });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('temporary_password_expired');
    expect(answer.body.message).toMatch(/Forgot your password/);
  });

  it('refuses a wrong password for a user who must change theirs (cognito-local would not)', async () => {
    const user = await newUser();
    const token = await resetLinkFor(user);
    await new Browser().call('POST', '/api/password-reset/confirm', { token });
    await queueIdle();
    const answer = await new Browser().call('POST', '/api/session', {
      username: user.username,
      password: 'Not-The-One-123',
    });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('invalid_credentials');
  });

  it('ends the sessions a user had when their password is reset', async () => {
    const user = await newUser();
    const browser = new Browser();
    expect(
      (await browser.call('POST', '/api/session', { username: user.username, password: user.password })).status,
    ).toBe(200);
    expect((await browser.call('GET', '/api/session')).status).toBe(200);
    const token = await resetLinkFor(user);
    expect((await new Browser().call('POST', '/api/password-reset/confirm', { token })).status).toBe(200);
    expect((await browser.call('GET', '/api/session')).status).toBe(401);
  });
});
