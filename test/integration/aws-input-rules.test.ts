// Logins AWS would refuse as input (a space, more than 128 characters): the reset request gets the
// same 202 as any other and its message settles at once, without a retry or a dead letter (the
// local Cognito proxy refuses such usernames as Cognito does, so a call would have failed); sign-in
// gets the same 401 as a wrong password.
import { randomBytes } from 'node:crypto';
import { Browser, queueStats } from './helpers';

jest.setTimeout(60_000);

async function settled(): Promise<Awaited<ReturnType<typeof queueStats>>> {
  // inFlight counts messages waiting for a retry too: once it is 0, every earlier message is done.
  for (;;) {
    const stats = await queueStats();
    if (stats.inFlight === 0) return stats;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('logins outside AWS input rules', () => {
  const id = randomBytes(4).toString('hex');
  const logins = [`jane doe ${id}`, `${id}${'a'.repeat(200)}`];

  it('get the same 202 for a reset, and cost no retry and no dead letter', async () => {
    const browser = new Browser();
    const known = await browser.call('POST', '/api/password-reset', { login: `nobody-${id}` });
    for (const login of logins) {
      const answer = await browser.call('POST', '/api/password-reset', { login });
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual(known.body);
    }
    const stats = await settled();
    expect(stats.deadLetters.filter((body) => body.includes(id))).toEqual([]);
  });

  it('get the same refusal as a wrong password at sign-in', async () => {
    const wrong = await new Browser().call('POST', '/api/session', {
      username: `nobody-${id}`,
      password: 'wrong-password',
    });
    expect(wrong.status).toBe(401);
    for (const login of logins) {
      const answer = await new Browser().call('POST', '/api/session', { username: login, password: 'wrong-password' });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual(wrong.body);
    }
  });
});
