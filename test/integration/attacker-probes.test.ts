// Issue 10's probes, over HTTP against the local stack, tried as an attacker would: nothing may
// lock the owner out, leak whether an account exists, or leave an old way in open.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { rateLimitDefaults } from '../../lambdas/definitions/rate-limits';
import { normaliseLogin } from '../../lambdas/domain/password-reset';
import { rateKey, windowAt } from '../../lambdas/domain/rate-limit';
import { hashToken } from '../../lambdas/domain/secrets';
import { runOps } from '../../ops/cli';
import { Browser, inbox, newUser, queueIdle, resetLinkFor, temporaryPasswordIn, waitForEmail } from './helpers';

// Many sequential calls on a machine shared with other suites.
jest.setTimeout(120_000);

const OWN_PASSWORD = 'Quiet-Harbour-Lantern-58';

function localDb(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: process.env.SUPPORT_ACCESS_DYNAMODB,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
}

/** What an attacker with enough addresses achieves: the login's failure ceiling, full. */
async function fillSignInCeiling(login: string): Promise<void> {
  const { limit, windowSeconds } = rateLimitDefaults.signInPerAccount;
  const key = rateKey('fail:sign-in:account', normaliseLogin(login), windowAt(Date.now(), windowSeconds).start);
  const db = localDb();
  await db.send(
    new UpdateCommand({
      TableName: process.env.SUPPORT_ACCESS_TABLE,
      Key: { pk: `RATE#${key}`, sk: 'RATE' },
      UpdateExpression: 'SET #count = :limit, lastAt = :now, #ttl = :ttl',
      ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':limit': limit, ':now': Date.now(), ':ttl': Math.ceil(Date.now() / 1000) + 3600 },
    }),
  );
  db.destroy();
}

/** "Forgot your password?" all the way to the emailed password, from the owner's browser. */
async function emailedPasswordFor(user: { username: string; email: string }): Promise<string> {
  const token = await resetLinkFor(user);
  const before = (await inbox()).length;
  const confirm = await new Browser().call('POST', '/api/password-reset/confirm', { token });
  expect(confirm.status).toBe(200);
  return temporaryPasswordIn(await waitForEmail(user.email, 'your new password', before));
}

/** Signs in with the emailed password and chooses a new one; returns the final answer. */
async function signInWithEmailedPassword(browser: Browser, username: string, emailed: string) {
  const first = await browser.call('POST', '/api/session', { username, password: emailed });
  expect(first.status).toBe(200);
  expect(first.body.challenge).toBe('NEW_PASSWORD_REQUIRED');
  return browser.call('POST', '/api/session/new-password', { newPassword: OWN_PASSWORD });
}

async function ops(...argv: string[]): Promise<number> {
  const file = process.env.SUPPORT_ACCESS_OPS_FILE ?? '';
  return runOps([...argv, '--endpoints', file, '--by', 'integration'], { out: () => undefined, err: () => undefined });
}

describe('wrong passwords from many addresses', () => {
  it('slow only the addresses that sent them: the owner signs in, and a reset with the emailed password works', async () => {
    const user = await newUser();
    const attackers = Array.from({ length: 8 }, () => new Browser());
    for (const attacker of attackers) {
      for (const login of [user.username, user.email]) {
        const answers = [];
        for (let i = 0; i < 6; i++) {
          answers.push(await attacker.call('POST', '/api/session', { username: login, password: `wrong-${i}` }));
        }
        // Five failures cost nothing, the sixth try must wait, and is told for how long.
        expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429]);
        expect(Number(answers[5]?.headers['retry-after'])).toBeGreaterThan(0);
        expect(answers[5]?.body.message).toMatch(/Forgot your password/);
      }
    }

    // The owner, from their own address, is not slowed by any of it.
    const owner = new Browser();
    expect(
      (await owner.call('POST', '/api/session', { username: user.username, password: user.password })).status,
    ).toBe(200);
    // And "Forgot your password?" gets them in with the emailed password, then their own.
    const emailed = await emailedPasswordFor(user);
    const done = await signInWithEmailedPassword(owner, user.username, emailed);
    expect(done.status).toBe(200);
    expect((await owner.call('GET', '/api/session')).body).toEqual({ username: user.username });
  });

  it('the per-login ceiling, once an attacker has filled it, never refuses the emailed password of a reset', async () => {
    const user = await newUser();
    await fillSignInCeiling(user.username);
    const owner = new Browser();
    const refused = await owner.call('POST', '/api/session', { username: user.username, password: user.password });
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/Forgot your password/);
    const emailed = await emailedPasswordFor(user);
    // A guess at the emailed password is still refused unchecked; the real one passes.
    const guess = await owner.call('POST', '/api/session', { username: user.username, password: `${emailed}x` });
    expect(guess.status).toBe(429);
    expect((await signInWithEmailedPassword(owner, user.username, emailed)).status).toBe(200);
  });

  it('answers a known and an unknown login alike, all the way to the wait', async () => {
    const user = await newUser();
    const statuses = async (login: string) => {
      const browser = new Browser();
      const seen: (number | string | undefined)[] = [];
      for (let i = 0; i < 7; i++) {
        const answer = await browser.call('POST', '/api/session', { username: login, password: 'wrong' });
        seen.push(answer.status, answer.body.error as string);
      }
      return seen;
    };
    expect(await statuses(user.username)).toEqual(await statuses(`nobody-${user.username}`));
    expect(await statuses(user.email)).toEqual(await statuses(`nobody-${user.email}`));
  });
});

describe('the emailed password', () => {
  it('is refused as the new password, and changes nothing', async () => {
    const user = await newUser();
    const emailed = await emailedPasswordFor(user);
    const browser = new Browser();
    const first = await browser.call('POST', '/api/session', { username: user.username, password: emailed });
    expect(first.body.challenge).toBe('NEW_PASSWORD_REQUIRED');
    const reuse = await browser.call('POST', '/api/session/new-password', { newPassword: emailed });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('password_policy');
    expect(reuse.body.rules).toEqual([{ rule: 'not_temporary', text: expect.stringMatching(/temporary password/) }]);
    // Still no session: only the pending new-password step (GET /api/session says which).
    const state = await browser.call('GET', '/api/session');
    expect(state.body).toMatchObject({ challenge: 'NEW_PASSWORD_REQUIRED' });
    // The same challenge still takes a password of the user's own.
    const own = await browser.call('POST', '/api/session/new-password', { newPassword: OWN_PASSWORD });
    expect(own.status).toBe(200);
    // The emailed password is spent: it signs in no more.
    const replay = await new Browser().call('POST', '/api/session', { username: user.username, password: emailed });
    expect(replay.status).toBe(401);
  });
});

describe('odd logins', () => {
  it('with spaces around them, or of 200 characters, get the answers any login gets, and change nothing', async () => {
    const user = await newUser();
    const padded = await new Browser().call('POST', '/api/session', {
      username: `  ${user.username.toUpperCase()}  `,
      password: user.password,
    });
    expect(padded.status).toBe(200);
    expect(padded.body).toEqual({ username: user.username });

    const long = `${'a'.repeat(188)}@example.com`;
    const emailsBefore = (await inbox()).length;
    const browser = new Browser();
    const answers = [
      await browser.call('POST', '/api/session', { username: long, password: 'wrong' }),
      await browser.call('POST', '/api/session', { username: `  ${long}  `, password: 'wrong' }),
      await browser.call('POST', '/api/session', { username: 'x'.repeat(200), password: 'wrong' }),
    ];
    expect(answers.map((a) => [a.status, a.body.error])).toEqual(Array(3).fill([401, 'invalid_credentials']));
    const reset = await browser.call('POST', '/api/password-reset', { login: `  ${long} ` });
    const known = await browser.call('POST', '/api/password-reset', { login: `  ${user.email} ` });
    expect(reset.status).toBe(202);
    expect(reset.body).toEqual(known.body);
    await queueIdle();
    // Nothing for the odd login; the one reset link for the known account.
    const fresh = (await inbox()).slice(0, (await inbox()).length - emailsBefore);
    expect(fresh.filter((e) => e.to.includes('aaaaaaaaaa'))).toEqual([]);
    expect(fresh.filter((e) => e.to === user.email)).toHaveLength(1);
  });
});

describe('closing every way back at once', () => {
  it('a disable while a session is open ends it at once, and the account cannot sign in again', async () => {
    const user = await newUser();
    const browser = new Browser();
    await browser.call('POST', '/api/session', { username: user.username, password: user.password });
    expect((await browser.call('GET', '/api/session')).status).toBe(200);
    expect(await ops('disable', user.username)).toBe(0);
    expect((await browser.call('GET', '/api/session')).status).toBe(401);
    const again = await new Browser().call('POST', '/api/session', {
      username: user.username,
      password: user.password,
    });
    expect(again.status).toBe(401);
    expect(again.body.error).toBe('invalid_credentials');
  });

  it('a second link while the first is being confirmed: the first (left CLAIMED) never works again', async () => {
    const user = await newUser();
    const first = await resetLinkFor(user);
    // A confirm of the first link claimed it and then died (its function timed out mid-way).
    const db = localDb();
    await db.send(
      new UpdateCommand({
        TableName: process.env.SUPPORT_ACCESS_TABLE,
        Key: { pk: `TOKEN#${hashToken(first)}`, sk: 'TOKEN' },
        UpdateExpression: 'SET #status = :claimed, claimUntil = :lease',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':claimed': 'CLAIMED', ':lease': Date.now() + 1000 },
      }),
    );
    db.destroy();
    const second = await resetLinkFor(user);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // The crashed claim's lease has lapsed; without the revocation the link would work again.
    const late = await new Browser().call('POST', '/api/password-reset/confirm', { token: first });
    expect(late.status).toBe(410);
    expect(late.body.error).toBe('link_replaced');
    expect((await new Browser().call('POST', '/api/password-reset/confirm', { token: second })).status).toBe(200);
  });

  it('a second link asked while the first is confirmed: whatever wins, only the newest password signs in', async () => {
    const user = await newUser();
    const first = await resetLinkFor(user);
    const before = (await inbox()).length;
    const [confirm] = await Promise.all([
      new Browser().call('POST', '/api/password-reset/confirm', { token: first }),
      new Browser().call('POST', '/api/password-reset', { login: user.username }),
    ]);
    await queueIdle();
    const second = (await inbox())
      .slice(0, (await inbox()).length - before)
      .find((e) => e.to === user.email && e.subject.includes('reset your password'));
    const firstPassword =
      confirm.status === 200 ? temporaryPasswordIn(await waitForEmail(user.email, 'your new password', before)) : '';
    // The first link is spent either way.
    expect((await new Browser().call('POST', '/api/password-reset/confirm', { token: first })).status).toBe(410);
    if (!second) return;
    const token = /#token=([A-Za-z0-9_-]{43})/.exec(second.text)?.[1] ?? '';
    const mid = (await inbox()).length;
    expect((await new Browser().call('POST', '/api/password-reset/confirm', { token })).status).toBe(200);
    const newest = temporaryPasswordIn(await waitForEmail(user.email, 'your new password', mid));
    if (firstPassword) {
      const old = await new Browser().call('POST', '/api/session', {
        username: user.username,
        password: firstPassword,
      });
      expect(old.status).toBe(401);
    }
    const ok = await new Browser().call('POST', '/api/session', { username: user.username, password: newest });
    expect(ok.body.challenge).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('a session opened before a reset is dead after it; the old password opens none', async () => {
    const user = await newUser();
    const thief = new Browser();
    await thief.call('POST', '/api/session', { username: user.username, password: user.password });
    await emailedPasswordFor(user);
    expect((await thief.call('GET', '/api/session')).status).toBe(401);
    const replay = await new Browser().call('POST', '/api/session', {
      username: user.username,
      password: user.password,
    });
    expect(replay.status).toBe(401);
  });
});

describe('sessions', () => {
  it('signing in again replaces the session the browser already had', async () => {
    const user = await newUser();
    const browser = new Browser();
    await browser.call('POST', '/api/session', { username: user.username, password: user.password });
    const firstCookie = browser.cookies.get('sa_session') ?? '';
    expect(firstCookie).not.toBe('');
    await browser.call('POST', '/api/session', { username: user.username, password: user.password });
    expect(browser.cookies.get('sa_session')).not.toBe(firstCookie);
    const stolen = new Browser();
    stolen.cookies.set('sa_session', firstCookie);
    expect((await stolen.call('GET', '/api/session')).status).toBe(401);
    expect((await browser.call('GET', '/api/session')).status).toBe(200);
  });
});
