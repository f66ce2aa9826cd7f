// Does the answer to "reset my password" take longer for an account that exists? Sends the same
// number of requests for known and unknown accounts, interleaved, to the local stack (the real
// handlers), and prints the two latency distributions side by side with a two-sample
// Kolmogorov-Smirnov test. Run: npm run bench:enumeration -- [requests per side]

import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { newTemporaryPassword } from '../lambdas/domain/secrets';
import { createUser } from '../local/bootstrap';
import { startLocalStack } from '../local/local-stack';

const PER_SIDE = Number(process.argv[2] ?? 300);

function post(url: string, body: string): Promise<{ ms: number; status: number; body: string; headers: string }> {
  const target = new URL('/api/password-reset', url);
  const [a = 1, b = 0, c = 1] = randomBytes(3);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        // A fresh loopback address each time, so the per-IP limit never answers instead.
        localAddress: `127.${(a % 254) + 1}.${b}.${(c % 254) + 1}`,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          const headers = Object.keys(res.headers)
            .filter((h) => h !== 'date')
            .sort()
            .join(',');
          resolve({ ms, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** Two-sample Kolmogorov-Smirnov statistic D and its approximate p-value. */
function kolmogorovSmirnov(a: number[], b: number[]): { d: number; p: number } {
  const all = [...a, ...b].sort((x, y) => x - y);
  let d = 0;
  for (const x of all) {
    const fa = a.filter((v) => v <= x).length / a.length;
    const fb = b.filter((v) => v <= x).length / b.length;
    d = Math.max(d, Math.abs(fa - fb));
  }
  const n = (a.length * b.length) / (a.length + b.length);
  const lambda = (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n)) * d;
  let p = 0;
  for (let k = 1; k <= 100; k++) p += 2 * (-1) ** (k - 1) * Math.exp(-2 * k * k * lambda * lambda);
  return { d, p: Math.min(1, Math.max(0, p)) };
}

async function main(): Promise<void> {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  const stack = await startLocalStack({
    port: 0,
    env: { RATE_LIMITS: '{"resetEmailsPerAccount":{"limit":1000000,"windowSeconds":3600}}' },
  });
  try {
    const cognito = new CognitoIdentityProviderClient({
      endpoint: stack.endpoints.cognito,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const known = `known-${randomBytes(4).toString('hex')}`;
    await createUser(cognito, stack.bootstrapped.userPoolId, {
      username: known,
      email: `${known}@example.com`,
      password: newTemporaryPassword(),
    });
    cognito.destroy();

    const samples = { known: [] as number[], unknown: [] as number[] };
    const answers = new Set<string>();
    // Warm-up: first requests load modules and open connections.
    for (let i = 0; i < 20; i++) await post(stack.url, JSON.stringify({ login: `warm-${i}` }));
    for (let i = 0; i < PER_SIDE * 2; i++) {
      const side = i % 2 === 0 ? 'known' : 'unknown';
      const login = side === 'known' ? `${known}@example.com` : `nobody-${randomBytes(4).toString('hex')}@example.com`;
      const answer = await post(stack.url, JSON.stringify({ login }));
      samples[side].push(answer.ms);
      // Locally the worker shares this process; let it finish so its work (which does differ) never
      // overlaps the next timed request. In AWS it runs in its own function anyway.
      await stack.queue.idle();
      answers.add(`${answer.status} ${answer.headers} ${answer.body}`);
    }
    await stack.queue.idle();

    const rows = (['known', 'unknown'] as const).map((side) => {
      const sorted = [...samples[side]].sort((a, b) => a - b);
      return {
        side,
        n: sorted.length,
        p50: quantile(sorted, 0.5),
        p90: quantile(sorted, 0.9),
        p99: quantile(sorted, 0.99),
      };
    });
    const ks = kolmogorovSmirnov(samples.known, samples.unknown);
    console.log('\nPOST /api/password-reset, local stack, interleaved requests\n');
    console.log('| account | requests | p50 ms | p90 ms | p99 ms |');
    console.log('|---|---:|---:|---:|---:|');
    for (const r of rows)
      console.log(`| ${r.side} | ${r.n} | ${r.p50.toFixed(2)} | ${r.p90.toFixed(2)} | ${r.p99.toFixed(2)} |`);
    console.log(`\nmedian ratio known/unknown: ${((rows[0]?.p50 ?? 0) / (rows[1]?.p50 ?? 1)).toFixed(3)}`);
    console.log(
      `Kolmogorov-Smirnov: D = ${ks.d.toFixed(3)}, p = ${ks.p.toFixed(3)} (p > 0.05: no detectable difference)`,
    );
    console.log(`distinct answers (status, header names, body): ${answers.size} (1 means identical)`);
  } finally {
    await stack.stop();
  }
}

void main();
