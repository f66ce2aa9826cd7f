// What the provider tests need around them: a back-channel logout receiver (a tool's endpoint),
// the tools registered for the tests, and a browser that follows redirects with a cookie jar.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedLogout {
  readonly clientId: string;
  readonly logoutToken: string;
  readonly at: number;
}

/** A tool's back-channel logout endpoint: POST /<client_id> with logout_token; GET / lists them. */
export async function startLogoutSink(): Promise<{ url: string; stop(): Promise<void> }> {
  const received: ReceivedLogout[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(received));
        return;
      }
      const token = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('logout_token');
      if (req.method !== 'POST' || !token) {
        res.writeHead(400);
        res.end();
        return;
      }
      received.push({ clientId: (req.url ?? '/').slice(1), logoutToken: token, at: Date.now() });
      res.writeHead(200, { 'cache-control': 'no-store' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface TestClient {
  readonly client_id: string;
  readonly client_secret: string;
  readonly client_name: string;
  readonly redirect_uris: string[];
  readonly post_logout_redirect_uris: string[];
  readonly backchannel_logout_uri?: string;
  readonly home_url?: string;
  readonly grant_types?: string[];
}

/** Redirect URIs point at a port nothing listens on: the test reads the Location header instead. */
export const RP_CALLBACK = 'http://127.0.0.1:9/callback';
export const RP_LOGGED_OUT = 'http://127.0.0.1:9/logged-out';

export function testClients(sinkUrl: string): TestClient[] {
  const secret = () => randomBytes(32).toString('base64url');
  return [
    {
      client_id: 'test-tool',
      client_secret: secret(),
      client_name: 'Test Tool',
      redirect_uris: [RP_CALLBACK],
      post_logout_redirect_uris: [RP_LOGGED_OUT],
      backchannel_logout_uri: `${sinkUrl}/test-tool`,
      home_url: 'http://127.0.0.1:9/home',
    },
    {
      client_id: 'refreshing-tool',
      client_secret: secret(),
      client_name: 'Refreshing Tool',
      redirect_uris: [RP_CALLBACK],
      post_logout_redirect_uris: [RP_LOGGED_OUT],
      grant_types: ['authorization_code', 'refresh_token'],
    },
  ];
}

export interface Hop {
  readonly status: number;
  readonly url: string;
  readonly location: string | undefined;
  readonly body: string;
}

/** A browser without a screen: a cookie jar (path-aware), one source address, manual redirects. */
export class JarBrowser {
  private readonly jar: { name: string; value: string; path: string }[] = [];

  cookieFor(url: URL): string {
    return this.jar
      .filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  setCookie(name: string, value: string, path = '/'): void {
    this.remove(name, path);
    this.jar.push({ name, value, path });
  }

  private remove(name: string, path: string): void {
    const index = this.jar.findIndex((c) => c.name === name && c.path === path);
    if (index >= 0) this.jar.splice(index, 1);
  }

  private store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired =
        value === '' ||
        /max-age=0/i.test(header) ||
        attributes.some((a) => a.toLowerCase().startsWith('expires=') && Date.parse(a.slice(8)) < Date.now());
      this.remove(name, path);
      if (!expired) this.jar.push({ name, value, path });
    }
  }

  async request(url: string, init: RequestInit & { origin?: string } = {}): Promise<Hop> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = this.cookieFor(target);
    if (cookie) headers.set('cookie', cookie);
    if (init.origin) headers.set('origin', init.origin);
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    this.store(response);
    const location = response.headers.get('location') ?? undefined;
    return {
      status: response.status,
      url: target.href,
      location: location ? new URL(location, target).href : undefined,
      body: await response.text(),
    };
  }

  /** Follows redirects on `origin` only; stops at the first hop that leaves it (the tool's callback). */
  async follow(url: string, origin: string, maxHops = 10): Promise<Hop> {
    let hop = await this.request(url);
    for (let i = 0; i < maxHops && hop.location?.startsWith(origin); i++) hop = await this.request(hop.location);
    return hop;
  }
}
