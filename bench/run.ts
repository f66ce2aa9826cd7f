// `npm run bench`: measures the pages (weight, Lighthouse), the peer in the same run, the Lambda
// bundles and the local stack under load; prints one table and writes it to BENCHMARKS.md.
// Runs: BENCH_RUNS (Lighthouse runs per page, default 3), BENCH_LAMBDA_RUNS (default 7),
// BENCH_LOAD_RUNS (default 3), BENCH_LOAD_SECONDS (default 5), BENCH_CONNECTIONS (default 10).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { integerEnv } from '../lambdas/config';
import { rateLimitDefaults } from '../lambdas/definitions/rate-limits';
import { type LocalStack, startLocalStack } from '../local/local-stack';
import { requireChromium } from '../test/e2e/support/chromium';
import { type LambdaFigures, measureLambdas } from './lambda-bundles';
import { type LighthouseScores, runLighthouse } from './lighthouse';
import { type LoadFigures, loadResetRequests, loadSignIn } from './load';
import { describeMachine, loadAverage } from './machine';
import { launchBrowser, measurePage, type PageWeight } from './page-weight';
import { buildPeer } from './peer';
import {
  type BenchFigures,
  lambdaMissLines,
  misses,
  type PageFigures,
  renderLambdaTable,
  renderMarkdown,
  renderTable,
} from './report';
import { serveFolder } from './static-server';
import { median } from './stats';

const ROOT = join(__dirname, '..');

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

interface Target {
  readonly name: string;
  readonly url: string;
  readonly path: string;
  /** Sent with every request (a session cookie for the signed-in page). */
  readonly cookie?: { name: string; value: string };
}

function generousRateLimits(): string {
  const wide = { limit: 1_000_000, windowSeconds: 60 };
  return JSON.stringify({
    resetEmailsPerAccount: wide,
    signInPerAccount: wide,
    // Sign-in failures from the one test address never slow the suite down.
    signInPerAccountAndSource: {
      freeFailures: wide.limit - 1,
      firstDelaySeconds: 1,
      maxDelaySeconds: 1,
      limit: wide.limit,
      windowSeconds: 60,
    },
    perIp: Object.fromEntries(Object.keys(rateLimitDefaults.perIp).map((name) => [name, wide])),
  });
}

async function sessionCookie(stack: LocalStack): Promise<{ name: string; value: string }> {
  const { username, password } = stack.bootstrapped.demo;
  const response = await fetch(`${stack.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: stack.url },
    body: JSON.stringify({ username, password }),
  });
  const cookie = response.headers.getSetCookie().find((c) => /^(__Host-)?sa_session=/.test(c));
  if (!response.ok || !cookie) throw new Error(`could not sign the demo user in (${response.status})`);
  const pair = cookie.split(';')[0] ?? '';
  return { name: pair.slice(0, pair.indexOf('=')), value: pair.slice(pair.indexOf('=') + 1) };
}

/** Lighthouse now and then fails to record a trace (NO_NAVSTART) on a busy machine: try again. */
async function withRetries<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      log(`  retrying after: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function medianScores(runs: LighthouseScores[]): LighthouseScores {
  const of = (pick: (s: LighthouseScores) => number) => median(runs.map(pick));
  return {
    performance: of((s) => s.performance),
    accessibility: of((s) => s.accessibility),
    bestPractices: of((s) => s.bestPractices),
    seo: of((s) => s.seo),
    totalBlockingTime: of((s) => s.totalBlockingTime),
    largestContentfulPaint: of((s) => s.largestContentfulPaint),
    failing: [...new Set(runs.flatMap((s) => s.failing))],
  };
}

function medianWeight(runs: PageWeight[]): PageWeight {
  const of = (pick: (w: PageWeight) => number) => median(runs.map(pick));
  return {
    raw: of((w) => w.raw),
    gzip: of((w) => w.gzip),
    requests: of((w) => w.requests),
    thirdParty: of((w) => w.thirdParty),
  };
}

function medianLoad(runs: LoadFigures[]): LoadFigures {
  const first = runs[0] as LoadFigures;
  const of = (pick: (l: LoadFigures) => number) => median(runs.map(pick));
  const sum = (pick: (l: LoadFigures) => number | undefined) => runs.reduce((total, l) => total + (pick(l) ?? 0), 0);
  return {
    endpoint: first.endpoint,
    requestsPerSecond: of((l) => l.requestsPerSecond),
    p50: of((l) => l.p50),
    p99: of((l) => l.p99),
    requests: sum((l) => l.requests),
    // Errors and emails are totals over every run: one lost email in any run is a miss.
    errors: sum((l) => l.errors),
    ...(first.emailsExpected === undefined
      ? {}
      : {
          emailsExpected: sum((l) => l.emailsExpected),
          emailsDelivered: sum((l) => l.emailsDelivered),
          deadLetters: sum((l) => l.deadLetters),
        }),
  };
}

export async function runBench(): Promise<void> {
  const started = Date.now();
  const loadAtStart = loadAverage();
  const lighthouseRuns = integerEnv('BENCH_RUNS', 3, 1, 50);
  const lambdaRuns = integerEnv('BENCH_LAMBDA_RUNS', 7, 1, 100);
  const loadRuns = integerEnv('BENCH_LOAD_RUNS', 3, 1, 20);
  const load = {
    seconds: integerEnv('BENCH_LOAD_SECONDS', 5, 1, 120),
    connections: integerEnv('BENCH_CONNECTIONS', 10, 1, 1000),
  };
  const chromePath = requireChromium();
  const machine = describeMachine(chromePath);
  const peerBuild = buildPeer(log);

  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  log('starting the local stack…');
  const stack = await startLocalStack({ port: 0, env: { RATE_LIMITS: generousRateLimits() } });
  const peerSite = await serveFolder(peerBuild.dist);
  let pages: PageFigures[];
  let peer: PageFigures;
  let loads: LoadFigures[];
  try {
    const cookie = await sessionCookie(stack);
    const targets: Target[] = [
      { name: 'Login', url: `${stack.url}/`, path: '/' },
      { name: 'Forgot', url: `${stack.url}/forgot`, path: '/forgot' },
      { name: 'Reset', url: `${stack.url}/reset#token=${'A'.repeat(43)}`, path: '/reset' },
      { name: 'New password', url: `${stack.url}/new-password`, path: '/new-password' },
      { name: 'Signed in', url: `${stack.url}/signed-in`, path: '/signed-in', cookie },
      { name: 'Request credential', url: `${stack.url}/request-credential`, path: '/request-credential' },
      // Signed in: factors, passkeys (it carries SimpleWebAuthn's registration code) and sessions.
      { name: 'Your account', url: `${stack.url}/account`, path: '/account', cookie },
    ];
    const peerTarget: Target = { name: 'Amplify UI Authenticator', url: `${peerSite.url}/`, path: '/' };
    const all = [...targets, peerTarget];

    log(`page weight of ${all.length} pages…`);
    const browser = await launchBrowser(chromePath);
    const weights = new Map<Target, PageWeight[]>();
    for (let run = 0; run < 3; run++) {
      for (const target of all) {
        const list = weights.get(target) ?? [];
        list.push(await measurePage(browser, target.url, target.cookie ? [target.cookie] : []));
        weights.set(target, list);
      }
    }
    await browser.close();

    log(`Lighthouse, ${lighthouseRuns} runs for each of ${all.length} pages (about 10-15 s a run)…`);
    const lighthouse = new Map<Target, LighthouseScores[]>();
    // Round-robin, so a slow moment of the machine falls on several pages, not all runs of one.
    for (let run = 0; run < lighthouseRuns; run++) {
      for (const target of all) {
        const headers: Record<string, string> = target.cookie
          ? { Cookie: `${target.cookie.name}=${target.cookie.value}` }
          : {};
        const list = lighthouse.get(target) ?? [];
        list.push(await withRetries(() => runLighthouse(chromePath, target.url, headers)));
        lighthouse.set(target, list);
        log(`  run ${run + 1}/${lighthouseRuns} ${target.name}: ${JSON.stringify(list.at(-1))}`);
      }
    }
    const figuresOf = (target: Target): PageFigures => ({
      name: target.name,
      path: target.path,
      weight: medianWeight(weights.get(target) ?? []),
      lighthouse: medianScores(lighthouse.get(target) ?? []),
    });
    pages = targets.map(figuresOf);
    peer = figuresOf(peerTarget);

    log(`load: ${loadRuns} runs of ${load.seconds} s per endpoint, ${load.connections} connections…`);
    const resetRuns: LoadFigures[] = [];
    const signInRuns: LoadFigures[] = [];
    for (let run = 0; run < loadRuns; run++) {
      resetRuns.push(await loadResetRequests(stack, load));
      signInRuns.push(await loadSignIn(stack, load));
      log(`  run ${run + 1}: ${JSON.stringify([resetRuns.at(-1), signInRuns.at(-1)])}`);
    }
    loads = [medianLoad(resetRuns), medianLoad(signInRuns)];
  } finally {
    await peerSite.stop();
    await stack.stop();
  }

  log(`Lambda bundles, ${lambdaRuns} fresh processes each…`);
  const lambdas: LambdaFigures[] = measureLambdas(join(ROOT, 'bench', '.work', 'bundled'), lambdaRuns, log);

  const figures: BenchFigures = {
    machine,
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    lighthouseRuns,
    lambdaRuns,
    loadRuns,
    load,
    peerVersions: peerBuild.versions,
    durationSeconds: (Date.now() - started) / 1000,
    load1: [loadAtStart, loadAverage()],
    pages,
    peer,
    lambdas,
    loads,
  };
  const table = renderTable(figures);
  writeFileSync(join(ROOT, 'BENCHMARKS.md'), renderMarkdown(figures, table));
  writeFileSync(join(ROOT, 'bench', '.work', 'figures.json'), JSON.stringify(figures, null, 2));
  const lambdaTable = renderLambdaTable(lambdas);
  console.log(table);
  console.log(`\n${lambdaTable}`);
  const missed = [...misses(table), ...lambdaMissLines(lambdas)];
  console.log(
    missed.length === 0 ? '\nEvery target met.' : `\nTargets missed:\n${missed.map((m) => `- ${m}`).join('\n')}`,
  );
  console.log(`\nWritten to BENCHMARKS.md (${Math.round((Date.now() - started) / 1000)} s).`);
}
