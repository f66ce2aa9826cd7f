// The seed's journey over HTTP against the local stack: the same handlers as in Lambda, the
// emulators behind them, the emails read from the local inbox.
import {
  Browser,
  demoUser,
  expireToken,
  inbox,
  newUser,
  queueIdle,
  temporaryPasswordIn,
  tokenIn,
  waitForEmail,
} from './helpers';

jest.setTimeout(30_000);

describe('the recovery journey', () => {
  it('goes from "Forgot your password?" to signed in with a password of my own, and out again', async () => {
    const demo = demoUser();
    const browser = new Browser();
    const before = (await inbox()).length;

    // 1-2. Ask for a new password, by email address in any case.
    const request = await browser.call('POST', '/api/password-reset', { login: demo.email.toUpperCase() });
    expect(request.status).toBe(202);

    // 3. The email has the "Here" button and the same link written out.
    const resetEmail = await waitForEmail(demo.email, 'reset your password', before);
    const token = tokenIn(resetEmail);
    expect(resetEmail.html).toMatch(new RegExp(`<a href="[^"]+#token=${token}"[^>]*>Here</a>`));
    expect(resetEmail.html.split(token).length - 1).toBeGreaterThanOrEqual(3);
    expect(resetEmail.text).toContain('If you did not ask for this, ignore this email');
    expect(resetEmail.text).toMatch(/until \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/);

    // 4. Following the link and pressing the button: "New password sent via mail".
    const confirm = await browser.call('POST', '/api/password-reset/confirm', { token });
    expect(confirm.status).toBe(200);
    expect(confirm.body.message).toMatch(/^New password sent via mail/);
    const passwordEmail = await waitForEmail(demo.email, 'your new password', before + 1);
    const temporary = temporaryPasswordIn(passwordEmail);
    expect(passwordEmail.text).toContain(`from IP address ${browser.address}.`);

    // 5. The link works once.
    const again = await browser.call('POST', '/api/password-reset/confirm', { token });
    expect(again.status).toBe(410);
    expect(again.body.error).toBe('link_used');

    // The old password no longer works; the emailed one leads to choosing a new one.
    expect(
      (await browser.call('POST', '/api/session', { username: demo.username, password: demo.password })).status,
    ).toBe(401);
    const signIn = await browser.call('POST', '/api/session', { username: demo.username, password: temporary });
    expect(signIn.status).toBe(200);
    expect(signIn.body.challenge).toBe('NEW_PASSWORD_REQUIRED');
    expect(browser.cookies.has('sa_challenge')).toBe(true);

    const weak = await browser.call('POST', '/api/session/new-password', { newPassword: 'password' });
    expect(weak.status).toBe(400);
    expect(weak.body.error).toBe('password_policy');

    const mine = 'Blue-Harbour-Lamp-27';
    const chosen = await browser.call('POST', '/api/session/new-password', { newPassword: mine });
    expect(chosen.status).toBe(200);
    expect(chosen.body.username).toBe(demo.username);
    expect(browser.cookies.has('sa_challenge')).toBe(false);

    const who = await browser.call('GET', '/api/session');
    expect(who).toMatchObject({ status: 200, body: { username: demo.username } });

    // Sign out ends the session on the server: the old cookie replayed gets 401.
    const stolen = new Browser();
    for (const [k, v] of browser.cookies) stolen.cookies.set(k, v);
    expect((await browser.call('DELETE', '/api/session')).status).toBe(200);
    expect((await browser.call('GET', '/api/session')).status).toBe(401);
    expect((await stolen.call('GET', '/api/session')).status).toBe(401);

    // The temporary password is spent; my own works, by username or email.
    expect(
      (await new Browser().call('POST', '/api/session', { username: demo.username, password: temporary })).status,
    ).toBe(401);
    expect((await new Browser().call('POST', '/api/session', { username: demo.email, password: mine })).status).toBe(
      200,
    );
  });
});

describe('links that cannot be used', () => {
  async function freshLink(user: { username: string; email: string }): Promise<string> {
    const before = (await inbox()).length;
    await new Browser().call('POST', '/api/password-reset', { login: user.username });
    return tokenIn(await waitForEmail(user.email, 'reset your password', before));
  }

  it('refuses an expired link with 410 link_expired, and one click asks for a new one', async () => {
    const user = await newUser();
    const token = await freshLink(user);
    await expireToken(token);
    const response = await new Browser().call('POST', '/api/password-reset/confirm', { token });
    expect(response).toMatchObject({ status: 410, body: { error: 'link_expired' } });

    const before = (await inbox()).length;
    const ask = await new Browser().call('POST', '/api/password-reset', { token });
    expect(ask.status).toBe(202);
    const fresh = tokenIn(await waitForEmail(user.email, 'reset your password', before));
    expect(fresh).not.toBe(token);
  });

  it('refuses an older link once a newer one is sent', async () => {
    const user = await newUser();
    const first = await freshLink(user);
    const second = await freshLink(user);
    expect((await new Browser().call('POST', '/api/password-reset/confirm', { token: first })).body.error).toBe(
      'link_replaced',
    );
    expect((await new Browser().call('POST', '/api/password-reset/confirm', { token: second })).status).toBe(200);
  });

  it('refuses an unknown or malformed link with 400 link_invalid', async () => {
    for (const token of ['A'.repeat(43), 'short', '../../etc/passwd']) {
      const response = await new Browser().call('POST', '/api/password-reset/confirm', { token });
      expect(response).toMatchObject({ status: 400, body: { error: 'link_invalid' } });
    }
  });
});

describe('requests that reveal nothing and change nothing', () => {
  it('answers an unknown account exactly like a known one, and sends no email', async () => {
    const before = await inbox();
    const unknown = await new Browser().call('POST', '/api/password-reset', { login: 'nobody@example.com' });
    const unknownName = await new Browser().call('POST', '/api/password-reset', { login: 'nobody' });
    await queueIdle();
    expect(await inbox()).toHaveLength(before.length);
    const known = await new Browser().call('POST', '/api/password-reset', { login: (await newUser()).username });
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    expect(unknownName.body).toEqual(known.body);
    const headerNames = (h: Record<string, unknown>) =>
      Object.keys(h)
        .filter((k) => k !== 'date')
        .sort();
    expect(headerNames(unknown.headers)).toEqual(headerNames(known.headers));
    await queueIdle();
  });

  it.each([
    ['bad JSON', '{"login": "demo"', 'invalid_json'],
    ['a JSON array', '["demo"]', 'invalid_request'],
    ['a null login', '{"login": null}', 'invalid_request'],
  ])('refuses %s with 400 and a clear message', async (_name, raw, code) => {
    const before = (await inbox()).length;
    const response = await new Browser().call('POST', '/api/password-reset', raw);
    expect(response.status).toBe(400);
    expect(response.body.error).toBe(code);
    expect(String(response.body.message)).toMatch(/\w+ \w+/);
    await queueIdle();
    expect(await inbox()).toHaveLength(before);
  });

  it('refuses a request whose Origin is another site', async () => {
    const response = await new Browser().call(
      'POST',
      '/api/password-reset',
      { login: 'demo' },
      { origin: 'https://evil.example' },
    );
    expect(response).toMatchObject({ status: 403, body: { error: 'forbidden_origin' } });
  });

  it('answers unknown API paths and methods with JSON errors', async () => {
    expect((await new Browser().call('GET', '/api/nothing')).body.error).toBe('not_found');
    expect((await new Browser().call('PUT', '/api/session', {})).body.error).toBe('method_not_allowed');
  });
});

describe('the pages', () => {
  it('serve every page with its security headers, the seed wording, and gzip', async () => {
    const response = await fetch(`${process.env.SUPPORT_ACCESS_URL}/`, { headers: { 'accept-encoding': 'gzip' } });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    for (const text of [
      'IMS SUPPORT',
      'Login',
      'Sign in to start your session',
      'User',
      'Password',
      'Forgot your password?',
      'Sign In',
      'Request your credential',
    ]) {
      expect(html).toContain(text);
    }
    for (const path of ['/forgot', '/reset', '/new-password', '/signed-in', '/request-credential']) {
      expect((await fetch(`${process.env.SUPPORT_ACCESS_URL}${path}`)).status).toBe(200);
    }
    expect((await fetch(`${process.env.SUPPORT_ACCESS_URL}/nope`)).status).toBe(404);
  });
});
