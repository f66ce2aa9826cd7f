// "Request your credential" against the local stack: the form's API, the ops email, the ops CLI
// (as a function and as a process), the welcome email, and the first sign-in with its forced
// password change. Duplicates, an address that has an account, rejections and hostile input too.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { REFERENCE_PATTERN } from '../../lambdas/definitions/credential-request';
import { rateLimitDefaults } from '../../lambdas/definitions/rate-limits';
import type { InboxEmail } from '../../local/local-stack';
import { EXIT, runOps } from '../../ops/cli';
import { Browser, baseUrl, clearFaults, inbox, injectFault, newUser, tableSnapshot } from './helpers';

jest.setTimeout(60_000);

const OPS = 'ops@support.example.com';
const opsFile = () => {
  const file = process.env.SUPPORT_ACCESS_OPS_FILE;
  if (!file) throw new Error('SUPPORT_ACCESS_OPS_FILE is not set: run through jest (global setup writes it)');
  return file;
};

/** Runs an ops command in this process against the integration stack. */
async function ops(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runOps([...argv, '--endpoints', opsFile(), '--by', 'integration'], {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Runs `tsx bin/ops.ts` as a person would, for the real exit code. */
function opsProcess(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '..', '..', 'bin', 'ops.ts'), ...argv],
      { env: { ...process.env, NODE_NO_WARNINGS: '1' }, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout, err: stderr });
      },
    );
  });
}

function person(prefix = 'applicant') {
  const id = randomBytes(4).toString('hex');
  return {
    fullName: 'Anna Maria Rossi',
    company: 'Rossi & Figli S.p.A.',
    email: `${prefix}.${id}@customer.example`,
    phone: '+39 02 1234 5678',
    reason: 'I am the new IT contact for our support contract.\nPlease give me access.',
    language: 'en',
  };
}

/** The newest email to `to` that mentions `needle`. */
async function emailTo(to: string, needle: string): Promise<InboxEmail> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const found = (await inbox()).find((e) => e.to === to && e.text.includes(needle));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no email to ${to} mentioning ${needle}`);
}

function credentialsIn(email: InboxEmail): { username: string; password: string } {
  const username = /Your username:\s+(\S+)/.exec(email.text)?.[1];
  const password = /Your temporary password:\s+(\S+)/.exec(email.text)?.[1];
  if (!username || !password) throw new Error(`no credentials in: ${email.text}`);
  return { username, password };
}

describe('request your credential', () => {
  it('goes from the form to the first sign-in with the emailed password and its forced change', async () => {
    // The login page links to the form, which is a real form now.
    const login = await (await fetch(`${baseUrl()}/`)).text();
    expect(login).toContain('href="/request-credential"');
    const page = await (await fetch(`${baseUrl()}/request-credential`)).text();
    expect(page).toMatch(/<form id="request-form" method="post"/);
    expect(page).toMatch(/<textarea id="reason"/);

    const applicant = person();
    const browser = new Browser();
    const answer = await browser.call('POST', '/api/credential-requests', applicant);
    expect(answer.status).toBe(202);
    const reference = String(answer.body.reference);
    expect(reference).toMatch(REFERENCE_PATTERN);

    // Ops hear of it, with the details and the command to decide.
    const opsEmail = await emailTo(OPS, reference);
    expect(opsEmail.subject).toBe('IMS SUPPORT: new credential request');
    expect(opsEmail.text).toContain(applicant.email);
    expect(opsEmail.text).toContain('Rossi & Figli S.p.A.');
    expect(opsEmail.text).toContain(`From IP address:  ${browser.address}`);
    expect(opsEmail.text).toContain('No account uses this email address.');
    expect(opsEmail.text).toContain(`npm run ops -- approve ${reference}`);
    expect(opsEmail.html).toContain(`npm run ops -- approve ${reference}`);

    const listed = await ops('requests', '--status', 'pending');
    expect(listed.code).toBe(EXIT.ok);
    expect(listed.out).toMatch(new RegExp(`${reference}\\s+pending`));

    // Approving creates the account and sends the welcome email.
    const approved = await ops('approve', reference.toLowerCase());
    expect(approved).toMatchObject({ code: EXIT.ok, err: '' });
    const welcome = await emailTo(applicant.email, reference);
    expect(welcome.subject).toBe('IMS SUPPORT: your account is ready');
    const { username, password } = credentialsIn(welcome);
    expect(username).toBe(applicant.email.split('@')[0]);
    expect(approved.out).toContain(`created the account ${username}`);
    expect(welcome.text).toContain(`${baseUrl()}/`);
    expect(welcome.text).toMatch(/only for\s+60 minutes: until \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/);
    expect(welcome.html).toContain(password);

    // The first sign-in demands a password of one's own.
    const signIn = await browser.call('POST', '/api/session', { username, password });
    expect(signIn).toMatchObject({ status: 200, body: { challenge: 'NEW_PASSWORD_REQUIRED', username } });
    const chosen = await browser.call('POST', '/api/session/new-password', { newPassword: 'Blue-Harbour-Lamp-27' });
    expect(chosen).toMatchObject({ status: 200, body: { username } });
    expect(await browser.call('GET', '/api/session')).toMatchObject({ status: 200, body: { username } });

    // The emailed password is spent; the chosen one works, by email too.
    expect((await new Browser().call('POST', '/api/session', { username, password })).status).toBe(401);
    const byEmail = await new Browser().call('POST', '/api/session', {
      username: applicant.email,
      password: 'Blue-Harbour-Lamp-27',
    });
    expect(byEmail).toMatchObject({ status: 200, body: { username } });

    // Approving twice does nothing and says why.
    const again = await ops('approve', reference);
    expect(again.code).toBe(EXIT.refused);
    expect(again.err).toMatch(new RegExp(`already approved .* by integration: the account is ${username}`));
    expect((await inbox()).filter((e) => e.to === applicant.email)).toHaveLength(1);
    expect((await ops('show', reference)).out).toMatch(/Status:\s+approved[\s\S]*Account:\s+\S+/);
  });

  it('answers an address that has an account like any other, flags it for ops, and refuses to approve it', async () => {
    const user = await newUser('holder');
    const fresh = person();
    const known = await new Browser().call('POST', '/api/credential-requests', { ...person(), email: user.email });
    const unknown = await new Browser().call('POST', '/api/credential-requests', fresh);
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(Object.keys(known.body).sort()).toEqual(Object.keys(unknown.body).sort());
    const words = (body: Record<string, unknown>) => String(body.message).replace(String(body.reference), '<ref>');
    expect(words(known.body)).toBe(words(unknown.body));
    expect(JSON.stringify(known.body)).not.toContain(user.username);

    const reference = String(known.body.reference);
    const opsEmail = await emailTo(OPS, reference);
    expect(opsEmail.text).toContain(`Already has an account: ${user.username}.`);

    const approve = await ops('approve', reference);
    expect(approve.code).toBe(EXIT.refused);
    expect(approve.err).toContain(`${user.email} already has an account: ${user.username}. Nothing was created.`);
    expect((await ops('users')).out.split('\n').filter((line) => line.includes(user.email))).toHaveLength(1);

    // Ops close it with a polite email instead.
    const reject = await ops(
      'reject',
      reference,
      '--reason',
      'You already have an account: use "Forgot your password?".',
    );
    expect(reject).toMatchObject({ code: EXIT.ok });
    const rejection = await emailTo(user.email, reference);
    expect(rejection.subject).toBe('IMS SUPPORT: your credential request');
    expect(rejection.text).toContain('You already have an account: use "Forgot your password?".');
    expect((await ops('approve', reference)).err).toMatch(/was rejected on .* Nothing was changed/);
  });

  it('rejects politely in the language of the form, once', async () => {
    const applicant = { ...person(), language: 'it' };
    const { body } = await new Browser().call('POST', '/api/credential-requests', applicant);
    const reference = String(body.reference);
    const reason = 'La tua azienda non ha un contratto di supporto attivo.';
    expect((await ops('reject', reference, '--reason', reason)).code).toBe(EXIT.ok);
    const email = await emailTo(applicant.email, reference);
    expect(email.subject).toBe('IMS SUPPORT: la tua richiesta di credenziali');
    expect(email.text).toContain(reason);
    expect(email.text).toContain('Ciao Anna Maria Rossi');
    const twice = await ops('reject', reference, '--reason', 'Again.');
    expect(twice.code).toBe(EXIT.refused);
    expect((await inbox()).filter((e) => e.to === applicant.email)).toHaveLength(1);
    expect((await ops('requests', '--status', 'rejected')).out).toContain(reference);
  });

  it('tells ops about duplicates, and approving one of them refuses the rest', async () => {
    const applicant = person('twice');
    const first = await new Browser().call('POST', '/api/credential-requests', applicant);
    const second = await new Browser().call('POST', '/api/credential-requests', applicant);
    const [a, b] = [String(first.body.reference), String(second.body.reference)];
    expect(a).not.toBe(b);
    expect((await emailTo(OPS, b)).text).toContain(`Also pending for this email address: ${a}.`);
    expect((await ops('approve', a)).code).toBe(EXIT.ok);
    const other = await ops('approve', b);
    expect(other.code).toBe(EXIT.refused);
    expect(other.err).toMatch(/already has an account/);
  });

  it('limits requests per email address, across source addresses', async () => {
    const applicant = person('limited');
    const { limit } = rateLimitDefaults.credentialRequestsPerEmail;
    for (let i = 0; i < limit; i++) {
      expect((await new Browser().call('POST', '/api/credential-requests', applicant)).status).toBe(202);
    }
    const refused = await new Browser().call('POST', '/api/credential-requests', applicant);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('keeps nothing when the ops email cannot be sent, and asks the person to try again', async () => {
    const applicant = person('unsent');
    await injectFault({ service: 'ses', kind: 'error', times: 1, match: ['outbound-emails', applicant.email] });
    try {
      const answer = await new Browser().call('POST', '/api/credential-requests', applicant);
      expect(answer).toMatchObject({ status: 503, body: { error: 'temporarily_unavailable' } });
    } finally {
      await clearFaults();
    }
    // The stored request was deleted again: ops never see a request nobody told them about.
    expect((await tableSnapshot()).filter((item) => item.includes(applicant.email))).toEqual([]);
    expect((await inbox()).filter((email) => email.text.includes(applicant.email))).toEqual([]);
  });

  it('refuses hostile input with a 400 naming the field, storing and sending nothing', async () => {
    const before = { table: await tableSnapshot(), emails: (await inbox()).length };
    const base = person('hostile');
    for (const [field, value] of [
      ['fullName', 'Anna\r\nBcc: victim@example.com'],
      ['fullName', '<script>alert(1)</script>'],
      ['company', '"><img src=x onerror=alert(1)>'],
      ['email', 'x" or email = "demo@example.com'],
      ['email', 'victim@example.com\r\nBcc: other@example.com'],
      ['reason', 'Please open <a href="https://evil.example">this</a>'],
      ['reason', '\u202eevil reversed text here'],
      ['phone', '+39 02 1234 5678; DROP TABLE'],
    ] as const) {
      const answer = await new Browser().call('POST', '/api/credential-requests', { ...base, [field]: value });
      expect({ field, value, status: answer.status }).toEqual({ field, value, status: 400 });
      expect(answer.body).toMatchObject({ error: 'invalid_request', message: expect.stringContaining(field) });
    }
    expect((await new Browser().call('POST', '/api/credential-requests', { ...base, isAdmin: true })).status).toBe(400);
    expect(await tableSnapshot()).toEqual(before.table);
    expect(await inbox()).toHaveLength(before.emails);
  });

  it('disables an account (its sessions end at once) and enables it again', async () => {
    const user = await newUser('disable');
    const browser = new Browser();
    expect(
      (await browser.call('POST', '/api/session', { username: user.username, password: user.password })).status,
    ).toBe(200);
    const disabled = await ops('disable', user.email);
    expect(disabled).toMatchObject({ code: EXIT.ok, out: `Disabled ${user.username}; ended 1 portal session(s).` });
    expect((await browser.call('GET', '/api/session')).status).toBe(401);
    expect((await ops('users')).out).toMatch(new RegExp(`${user.username}\\s+\\S+\\s+DISABLED`));
    expect((await ops('disable', user.username)).out).toContain('already disabled');
    expect((await ops('enable', user.username)).out).toContain(`Enabled ${user.username}`);
    expect((await ops('disable', 'nobody-at-all')).code).toBe(EXIT.refused);
  });

  it('as a process: exit codes 0, 1 and 2, and a clear message when the local runner is not there', async () => {
    const [list, missingRef, unknownRef, unknownCommand, noRunner] = await Promise.all([
      opsProcess('requests', '--endpoints', opsFile()),
      opsProcess('approve', '--endpoints', opsFile()),
      opsProcess('approve', 'CR-2222-2222', '--endpoints', opsFile()),
      opsProcess('launch', '--endpoints', opsFile()),
      opsProcess('requests', '--endpoints', join(__dirname, 'no-such-endpoints.json')),
    ]);
    expect(list).toMatchObject({ code: 0 });
    expect(list.out).toMatch(/^REFERENCE\s+STATUS\s+REQUESTED\s+NAME\s+COMPANY\s+EMAIL\s+NOTES$/m);
    expect(missingRef).toMatchObject({ code: 2, err: expect.stringContaining('"approve" needs <ref>') });
    expect(unknownRef).toMatchObject({ code: 1, err: expect.stringContaining('There is no request CR-2222-2222') });
    expect(unknownCommand).toMatchObject({ code: 2, err: expect.stringContaining('Unknown command "launch"') });
    expect(noRunner).toMatchObject({ code: 2, err: expect.stringContaining('npm start') });
  });
});
