// Property-based tests (fast-check) of every endpoint with hostile input: random JSON, wrong
// types, missing and extra fields, huge bodies, wrong content types, invalid UTF-8, CR/LF and
// markup in names and emails. Each must get a clear 4xx (or, for a well-formed request, its normal
// answer), never a 5xx, and leave the table and the inbox as they were.
import { request } from 'node:http';
import fc from 'fast-check';
import { type ApiRoute, apiRoutes } from '../../lambdas/definitions/routes';
import { MAX_BODY_BYTES } from '../../lambdas/http/request';
import { Browser, baseUrl, inbox, newLoopbackAddress, queueIdle, tableSnapshot } from './helpers';

jest.setTimeout(120_000);

const RUNS = 40;
const postRoutes: readonly ApiRoute[] = Object.values(apiRoutes).filter((r) => r.method === 'POST');
/** Passkey answers may be larger than the forms' fields (lambdas/definitions/routes.ts). */
const maxBody = (route: ApiRoute): number => route.maxBodyBytes ?? MAX_BODY_BYTES;

/** Sends raw bytes with any content type, from a fresh address (so rate limits stay out of the way). */
function rawPost(
  path: string,
  body: Buffer,
  contentType: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = new URL(path, baseUrl());
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: newLoopbackAddress(),
        headers: { 'content-type': contentType, 'content-length': String(body.length), origin: baseUrl() },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = { unparsable: text };
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function expectClearAnswer(answer: { status: number; json: Record<string, unknown> }): void {
  expect(answer.status).toBeLessThan(500);
  if (answer.status >= 400) {
    expect(typeof answer.json.error).toBe('string');
    expect(String(answer.json.message).length).toBeGreaterThan(15);
  }
}

const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    'demo\r\nBcc: victim@example.com',
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>@example.com',
    'demo@example.com\u0000',
    '\u202edemo',
    "' OR 1=1 --",
    'email = "x" or email = "demo@example.com"',
    '../../etc/passwd',
    'a'.repeat(300),
  ),
);

const fieldValue = fc.oneof(
  hostileText,
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string()),
  fc.object(),
);

/** Bodies shaped like the real ones but wrong: extra fields, wrong types, hostile strings. */
const nearlyValidBody = fc.record(
  {
    login: fieldValue,
    token: fieldValue,
    username: fieldValue,
    password: fieldValue,
    newPassword: fieldValue,
    language: fc.oneof(fc.constantFrom('en', 'it', 'xx', ''), fieldValue),
    extra: fieldValue,
  },
  { requiredKeys: [] },
);

let before: { table: string[]; emails: number };

beforeAll(async () => {
  await queueIdle();
  before = { table: await tableSnapshot(), emails: (await inbox()).length };
});

/**
 * A passkey ceremony's challenge is the one thing a well-formed request to the options endpoint
 * stores (`{}` is such a request): it lapses after 5 minutes (TTL) and signs nobody in. Nothing
 * else may change.
 */
const withoutCeremonies = (items: string[]) => items.filter((item) => !item.startsWith('{"pk":"WEBAUTHN#'));

afterAll(async () => {
  await queueIdle();
  expect(withoutCeremonies(await tableSnapshot())).toEqual(withoutCeremonies(before.table));
  expect(await inbox()).toHaveLength(before.emails);
});

describe.each(postRoutes)('$method $path with hostile input', (route) => {
  it('answers any JSON value clearly, never with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        expectClearAnswer(await rawPost(route.path, Buffer.from(JSON.stringify(value)), 'application/json'));
      }),
      { numRuns: RUNS },
    );
  });

  it('answers near-valid bodies (wrong types, extra fields, CR/LF, markup) clearly', async () => {
    await fc.assert(
      fc.asyncProperty(nearlyValidBody, async (body) => {
        expectClearAnswer(await rawPost(route.path, Buffer.from(JSON.stringify(body)), 'application/json'));
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses bytes that are not UTF-8 or not JSON with a 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 512 }), async (bytes) => {
        const answer = await rawPost(route.path, Buffer.from(bytes), 'application/json');
        expectClearAnswer(answer);
        expect(answer.status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses other content types with a 415', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/jsonp',
          '',
        ),
        async (contentType) => {
          const answer = await rawPost(route.path, Buffer.from('{"login":"demo"}'), contentType);
          expect(answer.status).toBe(415);
          expectClearAnswer(answer);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('refuses huge bodies with a 413', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: maxBody(route) + 100, max: 200_000 }), async (size) => {
        const answer = await rawPost(
          route.path,
          Buffer.from(JSON.stringify({ login: 'x'.repeat(size) })),
          'application/json',
        );
        expect(answer.status).toBe(413);
        expectClearAnswer(answer);
      }),
      { numRuns: 8 },
    );
  });
});

describe('cookies from a hostile client', () => {
  it('never sign anybody in, and never break the server', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.stringMatching(/^[\x21-\x7e]{0,80}$/), { maxLength: 4 }), async (values) => {
        const browser = new Browser();
        for (const [i, value] of values.entries()) {
          browser.cookies.set(i % 2 ? 'sa_session' : 'sa_challenge', value.replace(/[;,]/g, ''));
        }
        const who = await browser.call('GET', '/api/session');
        expect(who.status).toBe(401);
        const choose = await browser.call('POST', '/api/session/new-password', { newPassword: 'Valid-Password-123' });
        expect(choose.status).toBe(401);
      }),
      { numRuns: RUNS },
    );
  });
});
