// The local stack's pass-through proxy in front of each emulator. It holds the SDK's idle
// connections open (the emulators drop them after 5 s, which resets a request that reuses one),
// and it can be told to fail the next N matching calls the way AWS does on a bad day (5xx,
// throttling), so the integration suite can prove that a failing dependency loses no request.
// With a guard it first asks IAM (local/iam/) whether the caller may make the call at all.
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CognitoRewrite } from './cognito-admin-auth';

export type FaultKind = 'error' | 'throttle';

export interface FaultRule {
  readonly kind: FaultKind;
  /**
   * Substrings that must all occur in "<x-amz-target> <METHOD> <path> <body>", e.g.
   * ["AdminSetUserPassword", "alice"] or ["outbound-emails", "alice@example.com"]; tests running
   * side by side each target their own calls this way.
   */
  readonly match?: readonly string[];
  /** How many matching calls fail; later ones pass again. */
  readonly times: number;
}

/** Error bodies in the shape each AWS protocol uses, so the SDK raises its real exception types. */
const ERRORS: Record<FaultKind, { status: number; type: string }> = {
  error: { status: 500, type: 'InternalFailure' },
  throttle: { status: 400, type: 'ThrottlingException' },
};

/** Decides before anything else whether a call may go on; an answer is sent instead of forwarding. */
export type ProxyGuard = (request: {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}) => Promise<{ status: number; headers: Record<string, string>; body: string } | undefined>;

export class FaultProxy {
  private server: Server | undefined;
  private rules: { rule: FaultRule; left: number }[] = [];
  injected = 0;

  constructor(
    private readonly target: string,
    private readonly guard?: ProxyGuard,
    /** Hands some calls on changed, or answers them itself (local/cognito-admin-auth.ts). */
    private readonly rewrite?: (target: string, body: Buffer) => CognitoRewrite | undefined,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    // Clients (the SDK) reuse idle connections; keep them far longer than any pause in a session.
    this.server.keepAliveTimeout = 10 * 60_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  inject(rule: FaultRule): void {
    this.rules.push({ rule, left: rule.times });
  }

  clear(): void {
    this.rules = [];
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Buffer = Buffer.concat(chunks);
    const headers = { ...req.headers };
    // As in AWS, authorisation comes before the service does (or fails to do) anything.
    const refusal = await this.guard?.({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body,
    });
    if (refusal) {
      res.writeHead(refusal.status, refusal.headers);
      res.end(refusal.body);
      return;
    }
    const call = `${req.headers['x-amz-target'] ?? ''} ${req.method} ${req.url} ${body.toString('utf8')}`;
    const active = this.rules.find(
      ({ rule, left }) => left > 0 && (rule.match ?? []).every((part) => call.includes(part)),
    );
    if (active) {
      active.left--;
      this.injected++;
      const { status, type } = ERRORS[active.rule.kind];
      res.writeHead(active.rule.kind === 'throttle' && call.includes('/v2/email') ? 429 : status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': type,
      });
      res.end(JSON.stringify({ __type: type, message: `fault injected by the local test proxy (${type})` }));
      return;
    }
    const rewritten = this.rewrite?.(String(req.headers['x-amz-target'] ?? ''), body);
    if (rewritten && 'reply' in rewritten) {
      const { status, type, message } = rewritten.reply;
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
      res.end(JSON.stringify({ __type: type, message }));
      return;
    }
    if (rewritten) {
      body = rewritten.forward.body;
      headers['x-amz-target'] = rewritten.forward.target;
      headers['content-length'] = String(body.length);
    }
    const target = new URL(this.target);
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
        // A fresh connection to the emulator each time: never one it is about to drop.
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    upstream.end(body);
  }
}
