// A small "support tool" for `npm start`: it signs people in through Support Access exactly as a
// ticketing tool would (openid-client, code + PKCE, as a registered confidential client), shows who
// is signed in, signs out (RP-initiated logout) and receives back-channel logout tokens, after which
// its session for that person is gone. English and Italian, by the browser's language.
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { type Language, pickLanguage } from '../lambdas/definitions/languages';

export const DEMO_TOOL_ID = 'demo-support-tool';
const COOKIE = 'demo_tool';
const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

interface Person {
  readonly sub: string;
  readonly name: string;
  readonly email: string;
  readonly username: string;
  readonly sid: string | undefined;
  readonly idToken: string;
}

interface Pending {
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
}

const text = {
  en: {
    title: 'Demo support tool',
    lead: 'A stand-in for your ticketing tool. It signs you in through Support Access.',
    signIn: 'Sign in with Support Access',
    signedInAs: 'Signed in as',
    email: 'Email',
    username: 'Username',
    subject: 'Subject (sub)',
    signOut: 'Sign out',
    signedOut: 'You are not signed in to the tool.',
    failed: 'The sign-in did not work: {reason}. Try again.',
  },
  it: {
    title: 'Strumento di assistenza dimostrativo',
    lead: 'Fa le veci del tuo strumento di ticketing. Ti fa accedere tramite Support Access.',
    signIn: 'Accedi con Support Access',
    signedInAs: 'Accesso effettuato come',
    email: 'Email',
    username: 'Nome utente',
    subject: 'Soggetto (sub)',
    signOut: 'Esci',
    signedOut: 'Non hai effettuato l’accesso allo strumento.',
    failed: 'L’accesso non è riuscito: {reason}. Riprova.',
  },
} as const satisfies Record<Language, Record<string, string>>;

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(language: Language, body: string): string {
  const t = text[language];
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)}</title>
<link rel="icon" href="data:,">
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f6f3ee;color:#1d1b18}
main{max-width:36rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px #0002}
a.button,button{font:inherit;display:inline-block;padding:.6rem 1rem;border-radius:.3rem;border:0;background:#6b3a0f;color:#fff;text-decoration:none;cursor:pointer}
dt{font-weight:600}dd{margin:0 0 .5rem}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(t.title)}</h1>
<p>${escapeHtml(t.lead)}</p>
${body}
</main>
</body>
</html>`;
}

function cookieOf(req: IncomingMessage): string | undefined {
  return (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim().split('='))
    .find(([name]) => name === COOKIE)?.[1];
}

function send(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:",
    ...headers,
  });
  res.end(html);
}

function redirect(res: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  res.writeHead(303, { location, 'cache-control': 'no-store', ...headers });
  res.end();
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) break;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export interface DemoTool {
  readonly url: string;
  /** Its registration, for OIDC_CLIENTS. */
  readonly client: Record<string, unknown>;
  /** Discovers the provider; call once the local stack is up. */
  connect(issuer: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startDemoTool(port = 0): Promise<DemoTool> {
  const secret = randomBytes(32).toString('base64url');
  const sessions = new Map<string, Person>();
  const pending = new Map<string, Pending>();
  let config: oidc.Configuration | undefined;

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      console.error('[demo tool]', error);
      if (!res.headersSent) send(res, 500, 'Internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const callback = `${url}/callback`;

  /** Checks a logout token as OpenID Connect Back-Channel Logout 1.0 section 2.6 says. */
  async function verifyLogoutToken(token: string): Promise<{ sub?: string; sid?: string }> {
    if (!config) throw new Error('not connected');
    const [header = '', payload = '', signature = ''] = token.split('.');
    const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid?: string; alg?: string };
    if (head.alg !== 'ES256') throw new Error('unexpected algorithm');
    const metadata = config.serverMetadata();
    const jwks = (await (await fetch(String(metadata.jwks_uri))).json()) as { keys: { kid: string }[] };
    const jwk = jwks.keys.find((key) => key.kid === head.kid);
    if (!jwk) throw new Error('unknown key');
    const ok = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      { key: createPublicKey({ key: jwk as never, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
    if (!ok) throw new Error('bad signature');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const now = Date.now() / 1000;
    if (claims.iss !== metadata.issuer) throw new Error('wrong issuer');
    if (claims.aud !== DEMO_TOOL_ID && !(Array.isArray(claims.aud) && claims.aud.includes(DEMO_TOOL_ID))) {
      throw new Error('wrong audience');
    }
    if (
      typeof claims.iat !== 'number' ||
      claims.iat > now + 60 ||
      (typeof claims.exp === 'number' && claims.exp < now)
    ) {
      throw new Error('stale token');
    }
    const events = claims.events as Record<string, unknown> | undefined;
    if (!events || typeof events[BACKCHANNEL_EVENT] !== 'object' || 'nonce' in claims)
      throw new Error('not a logout token');
    if (!claims.sub && !claims.sid) throw new Error('no sub or sid');
    return {
      ...(typeof claims.sub === 'string' ? { sub: claims.sub } : {}),
      ...(typeof claims.sid === 'string' ? { sid: claims.sid } : {}),
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', url).pathname;
    const language = pickLanguage(undefined, req.headers['accept-language']);
    const t = text[language];
    const key = cookieOf(req);
    if (req.method === 'GET' && path === '/') {
      const person = key ? sessions.get(key) : undefined;
      if (!person) {
        send(
          res,
          200,
          page(
            language,
            `<p id="status">${escapeHtml(t.signedOut)}</p><p><a class="button" id="sign-in" href="/login">${escapeHtml(t.signIn)}</a></p>`,
          ),
        );
        return;
      }
      send(
        res,
        200,
        page(
          language,
          `<p id="status">${escapeHtml(t.signedInAs)} <strong id="who">${escapeHtml(person.name)}</strong></p>
<dl><dt>${escapeHtml(t.email)}</dt><dd>${escapeHtml(person.email)}</dd><dt>${escapeHtml(t.username)}</dt><dd>${escapeHtml(person.username)}</dd><dt>${escapeHtml(t.subject)}</dt><dd>${escapeHtml(person.sub)}</dd></dl>
<form method="post" action="/logout"><button type="submit" id="sign-out">${escapeHtml(t.signOut)}</button></form>`,
        ),
      );
      return;
    }
    if (!config) {
      send(res, 503, page(language, '<p>Starting…</p>'));
      return;
    }
    if (req.method === 'GET' && path === '/login') {
      const verifier = oidc.randomPKCECodeVerifier();
      const started: Pending = { verifier, state: oidc.randomState(), nonce: oidc.randomNonce() };
      const id = randomBytes(24).toString('base64url');
      pending.set(id, started);
      const target = oidc.buildAuthorizationUrl(config, {
        redirect_uri: callback,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: started.state,
        nonce: started.nonce,
      });
      redirect(res, target.href, { 'set-cookie': `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax` });
      return;
    }
    if (req.method === 'GET' && path === '/callback') {
      const started = key ? pending.get(key) : undefined;
      if (!key || !started) {
        send(
          res,
          400,
          page(language, `<p role="alert">${escapeHtml(t.failed.replace('{reason}', 'no sign-in in progress'))}</p>`),
        );
        return;
      }
      pending.delete(key);
      try {
        const tokens = await oidc.authorizationCodeGrant(config, new URL(req.url ?? '/', url), {
          pkceCodeVerifier: started.verifier,
          expectedState: started.state,
          expectedNonce: started.nonce,
        });
        const claims = tokens.claims() as Record<string, unknown>;
        const id = randomBytes(24).toString('base64url');
        sessions.set(id, {
          sub: String(claims.sub),
          name: String(claims.name ?? claims.preferred_username ?? claims.sub),
          email: String(claims.email ?? ''),
          username: String(claims.preferred_username ?? ''),
          sid: typeof claims.sid === 'string' ? claims.sid : undefined,
          idToken: String(tokens.id_token),
        });
        redirect(res, '/', { 'set-cookie': `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax` });
      } catch (error) {
        const reason = error instanceof Error ? error.message : 'unknown';
        send(res, 400, page(language, `<p role="alert">${escapeHtml(t.failed.replace('{reason}', reason))}</p>`));
      }
      return;
    }
    if (req.method === 'POST' && path === '/logout') {
      const person = key ? sessions.get(key) : undefined;
      if (key) sessions.delete(key);
      const clear = { 'set-cookie': `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` };
      if (!person) {
        redirect(res, '/', clear);
        return;
      }
      const end = oidc.buildEndSessionUrl(config, {
        id_token_hint: person.idToken,
        post_logout_redirect_uri: `${url}/`,
      });
      redirect(res, end.href, clear);
      return;
    }
    if (req.method === 'POST' && path === '/backchannel-logout') {
      const form = await readForm(req);
      try {
        const { sub, sid } = await verifyLogoutToken(String(form.get('logout_token')));
        for (const [id, person] of sessions) {
          if ((sid && person.sid === sid) || (sub && person.sub === sub)) sessions.delete(id);
        }
        res.writeHead(200, { 'cache-control': 'no-store' });
        res.end();
      } catch (error) {
        res.writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ error: 'invalid_request', error_description: String(error) }));
      }
      return;
    }
    send(res, 404, page(language, '<p>Not found</p>'));
  }

  return {
    url,
    client: {
      client_id: DEMO_TOOL_ID,
      client_secret: secret,
      client_name: 'Demo support tool',
      redirect_uris: [callback],
      post_logout_redirect_uris: [`${url}/`],
      backchannel_logout_uri: `${url}/backchannel-logout`,
      home_url: `${url}/`,
    },
    async connect(issuer) {
      config = await oidc.discovery(new URL(issuer), DEMO_TOOL_ID, secret, undefined, {
        execute: [oidc.allowInsecureRequests],
      });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
