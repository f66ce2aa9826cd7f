// Turns the bench's figures into one table (printed and written to BENCHMARKS.md), saying for each
// row which target it misses.
import { maxBundleBytes } from '../lib/bundling';
import { LAMBDA_TARGETS, type LambdaFigures } from './lambda-bundles';
import type { LighthouseScores } from './lighthouse';
import type { LoadFigures, LoadOptions } from './load';
import type { Machine } from './machine';
import type { PageWeight } from './page-weight';
import { kb, ms } from './stats';

export const TARGETS = {
  pageGzipBytes: 11 * 1024,
  lighthouse: 100,
  totalBlockingTime: 0,
} as const;

export interface PageFigures {
  readonly name: string;
  readonly path: string;
  readonly weight: PageWeight;
  readonly lighthouse: LighthouseScores;
}

export interface BenchFigures {
  readonly machine: Machine;
  readonly date: string;
  readonly lighthouseRuns: number;
  readonly lambdaRuns: number;
  readonly loadRuns: number;
  readonly load: LoadOptions;
  readonly peerVersions: string;
  readonly durationSeconds: number;
  /** 1-minute load average when the bench started and ended (the machine's other work). */
  readonly load1: readonly [number, number];
  readonly pages: readonly PageFigures[];
  readonly peer: PageFigures;
  readonly lambdas: readonly LambdaFigures[];
  readonly loads: readonly LoadFigures[];
}

type Row = [measure: string, subject: string, ours: string, compared: string, target: string, verdict: string];

const scores = (l: LighthouseScores) =>
  `${l.performance} / ${l.accessibility} / ${l.bestPractices} / ${l.seo}, TBT ${ms(l.totalBlockingTime)}`;

function verdict(misses: string[]): string {
  return misses.length === 0 ? 'met' : `**missed**: ${misses.join('; ')}`;
}

function pageRows(page: PageFigures, peer: PageFigures): Row[] {
  const { weight, lighthouse } = page;
  const weightMisses: string[] = [];
  if (weight.gzip > TARGETS.pageGzipBytes) weightMisses.push(`${kb(weight.gzip)} > 11 KB gzip`);
  if (weight.thirdParty > 0) weightMisses.push(`${weight.thirdParty} third-party request(s)`);
  const lighthouseMisses: string[] = [];
  for (const [name, value] of [
    ['performance', lighthouse.performance],
    ['accessibility', lighthouse.accessibility],
    ['best practices', lighthouse.bestPractices],
    ['SEO', lighthouse.seo],
  ] as const) {
    if (value < TARGETS.lighthouse) lighthouseMisses.push(`${name} ${value}`);
  }
  if (lighthouse.totalBlockingTime > TARGETS.totalBlockingTime) {
    lighthouseMisses.push(`TBT ${ms(lighthouse.totalBlockingTime)}`);
  }
  const ratio = peer.weight.gzip / Math.max(1, weight.gzip);
  return [
    [
      'Page weight: gzip / raw, requests',
      `${page.name} \`${page.path}\``,
      `${kb(weight.gzip)} / ${kb(weight.raw)}, ${weight.requests} req, ${weight.thirdParty} third-party`,
      `${kb(peer.weight.gzip)} / ${kb(peer.weight.raw)}, ${peer.weight.requests} req (${ratio.toFixed(0)}x ours)`,
      '≤ 11 KB gzip, no third-party request',
      verdict(weightMisses),
    ],
    [
      'Lighthouse mobile: perf / a11y / best practices / SEO',
      `${page.name} \`${page.path}\``,
      scores(lighthouse),
      scores(peer.lighthouse),
      '100 in all four, TBT 0 ms',
      verdict(lighthouseMisses),
    ],
  ];
}

function loadRow(load: LoadFigures, options: LoadOptions): Row {
  const misses: string[] = [];
  if (load.errors > 0) misses.push(`${load.errors} errors`);
  if (load.emailsExpected !== undefined && load.emailsDelivered !== load.emailsExpected) {
    misses.push(`${load.emailsDelivered} of ${load.emailsExpected} emails`);
  }
  if (load.deadLetters) misses.push(`${load.deadLetters} dead letters`);
  const emails =
    load.emailsExpected === undefined ? '' : `, ${load.emailsDelivered}/${load.emailsExpected} emails delivered`;
  return [
    `Local stack under load (${options.connections} connections, ${options.seconds} s)`,
    load.endpoint,
    `${Math.round(load.requestsPerSecond)} req/s, p50 ${ms(load.p50)}, p99 ${ms(load.p99)}, ${load.errors} errors${emails}`,
    '—',
    load.emailsExpected === undefined ? '0 errors' : '0 errors, every queued email delivered',
    verdict(misses),
  ];
}

export function renderTable(figures: BenchFigures): string {
  const rows: Row[] = [
    ...figures.pages.flatMap((page) => pageRows(page, figures.peer)),
    ...figures.loads.map((load) => loadRow(load, figures.load)),
  ];
  const header: Row = ['Measure', 'Subject', 'Support Access', 'Peer (same run)', 'Target', 'Verdict'];
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function misses(table: string): string[] {
  return table
    .split('\n')
    .filter((row) => row.includes('**missed**'))
    .map((row) => {
      const cells = row.split(' | ');
      return `${cells[0]?.replace(/^\| /, '')}, ${cells[1]}: ${row.slice(row.indexOf('**missed**: ') + 12, -2)}`;
    });
}

const LAMBDA_START = '<!-- lambda-bundles:start -->';
const LAMBDA_END = '<!-- lambda-bundles:end -->';

export interface LambdaRun {
  readonly date: string;
  readonly runs: number;
  readonly load1: readonly [number, number];
  readonly lambdas: readonly LambdaFigures[];
}

/** What a Lambda row misses: the size budget, or an init less than twice as fast as before. */
function lambdaMisses(lambda: LambdaFigures): string[] {
  if (lambda.error || lambda.before.initMs === undefined || lambda.deployed.initMs === undefined) {
    return [`could not start: ${lambda.error ?? 'unknown'}`];
  }
  const found: string[] = [];
  const budget = maxBundleBytes(lambda.handler);
  if (lambda.deployed.bytes > budget) found.push(`${kb(lambda.deployed.bytes)} > ${kb(budget)}`);
  const ratio = lambda.before.initMs / lambda.deployed.initMs;
  if (ratio < LAMBDA_TARGETS.minInitRatio) found.push(`init ratio ${ratio.toFixed(2)} < 2`);
  return found;
}

export function renderLambdaTable(lambdas: readonly LambdaFigures[]): string {
  const header = [
    'Handler',
    '(a) before: CJS + --enable-source-maps',
    '(b) deployed: ESM, maps not read',
    'Init ratio a/b (CPU)',
    'RSS after init (b)',
    'Target',
    'Verdict',
  ];
  const rows = lambdas.map((l) => {
    const ratio =
      l.before.initMs !== undefined && l.deployed.initMs !== undefined
        ? l.before.initMs / l.deployed.initMs
        : undefined;
    const cpuRatio =
      l.before.cpuMs !== undefined && l.deployed.cpuMs !== undefined ? l.before.cpuMs / l.deployed.cpuMs : undefined;
    const build = (b: LambdaFigures['before']) =>
      `${kb(b.bytes)} (${kb(b.gzipBytes)} gzip), init ${b.initMs === undefined ? '—' : ms(b.initMs)}` +
      ` (CPU ${b.cpuMs === undefined ? '—' : ms(b.cpuMs)})`;
    const missed = lambdaMisses(l);
    return [
      l.handler,
      build(l.before),
      build(l.deployed),
      ratio === undefined ? '—' : `${ratio.toFixed(2)}x (${cpuRatio === undefined ? '—' : `${cpuRatio.toFixed(2)}x`})`,
      l.deployed.rssMb === undefined ? '—' : `${Math.round(l.deployed.rssMb)} MB`,
      `≤ ${Math.round(maxBundleBytes(l.handler) / 1024)} KB, init ≥ 2x faster`,
      missed.length === 0 ? 'met' : `**missed**: ${missed.join('; ')}`,
    ];
  });
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The Lambda section of BENCHMARKS.md; `npm run bench:lambdas` replaces just this part. */
/** One line per handler that misses a Lambda target. */
export function lambdaMissLines(lambdas: readonly LambdaFigures[]): string[] {
  return lambdas.flatMap((l) => {
    const missed = lambdaMisses(l);
    return missed.length === 0 ? [] : [`${l.handler}: ${missed.join('; ')}`];
  });
}

export function renderLambdaSection(run: LambdaRun): string {
  const table = renderLambdaTable(run.lambdas);
  const missed = lambdaMissLines(run.lambdas);
  return `${LAMBDA_START}
## Lambda bundles: before and as deployed

Measured ${run.date} by \`npm run bench\` (or only this part: \`npm run bench:lambdas\`), in one run:
each handler built both ways and loaded ${run.runs} times each in a fresh Node process, interleaved;
medians. Load average (1 min): ${run.load1[0]} at the start, ${run.load1[1]} at the end.

${table}

${missed.length === 0 ? 'Every Lambda target was met in this run.' : `Missed:\n\n${missed.map((m) => `- ${m}`).join('\n')}`}
${LAMBDA_END}`;
}

/** BENCHMARKS.md with its Lambda section replaced (or added at the end). */
export function replaceLambdaSection(markdown: string, run: LambdaRun): string {
  const section = renderLambdaSection(run);
  const start = markdown.indexOf(LAMBDA_START);
  const end = markdown.indexOf(LAMBDA_END);
  if (start === -1 || end === -1) return `${markdown.trimEnd()}\n\n${section}\n`;
  return `${markdown.slice(0, start)}${section}${markdown.slice(end + LAMBDA_END.length)}`;
}

export function renderMarkdown(figures: BenchFigures, table: string): string {
  const { machine } = figures;
  const missed = misses(table);
  const lambdaSection = renderLambdaSection({
    date: figures.date,
    runs: figures.lambdaRuns,
    load1: figures.load1,
    lambdas: figures.lambdas,
  });
  return `# Benchmarks

Written by \`npm run bench\` (bin/bench.ts, code in bench/); rerun it to refresh this file. Nothing here
is asserted by \`npm test\`: the bench prints the figures and says which target each misses.

Run on ${figures.date} in ${Math.round(figures.durationSeconds / 60)} minutes.

| machine | |
|---|---|
| CPU | ${machine.cpu}, ${machine.cores} cores |
| memory | ${machine.memory} |
| OS | ${machine.os} |
| Node | ${machine.node} |
| browser | ${machine.chromium} (Debian), Lighthouse 12.2.3 |
| load average (1 min) | ${figures.load1[0]} at the start, ${figures.load1[1]} at the end, on ${machine.cores} cores |

## Results

Lighthouse figures are medians over ${figures.lighthouseRuns} runs per page (each in a fresh headless Chromium,
mobile preset: simulated slow 4G and 4x CPU slowdown); Lambda initialisation times are medians over
${figures.lambdaRuns} fresh Node processes per bundle; load figures are medians over ${figures.loadRuns} runs per endpoint.
The peer is measured in the same run, on the same machine, served the same way.

${table}

${missed.length === 0 ? 'Every target was met in this run.' : `Targets missed in this run:\n\n${missed.map((m) => `- ${m}`).join('\n')}`}

Total blocking time is the figure most sensitive to the machine: Lighthouse's mobile preset
multiplies every main-thread task by four, so a task that other processes slow from 5 to 13 ms
becomes a 52 ms "long task". A load average above the number of cores means other work competed
with the browser during the run.

${lambdaSection}

## How each figure is measured

- **Page weight**: the page loaded in Chromium (fresh context, 412x823 viewport) until the network is
  idle; every response counted: bytes on the wire (gzip, as the local server and CloudFront compress)
  and decoded. Third-party = any origin other than the page's own.
- **Lighthouse**: \`lighthouse\` 12.2.3 from node_modules, default (mobile) configuration, the four
  categories. Our pages are served by the local stack (\`npm start\`'s server: gzip, the CloudFront
  security headers); \`/signed-in\` is measured signed in (a session cookie sent with every request),
  \`/reset\` with a well-formed link token in the fragment.
- **Peer**: bench/amplify-peer, a minimal login with Amplify UI's \`<Authenticator hideSignUp>\` on a
  Cognito user pool, built with Vite (${figures.peerVersions}), installed from its lock file and
  built on demand by the bench, served gzip-compressed from loopback. It is compared with each of our pages.
- **Lambda bundles**: every file in lambdas/handlers bundled with esbuild twice. (a) As the stack
  deployed it before: minified CommonJS for node24, esbuild's default main fields, a source map
  beside it, loaded with \`NODE_OPTIONS=--enable-source-maps\` (the setting the functions had).
  (b) As the stack deploys it now, from lib/bundling.ts (the definition the CDK construct and the
  local stack share): minified ESM with \`mainFields: module,main\`, a map beside it that is not read.
  Init = wall time of \`require()\` (a) or \`import()\` (b) of the bundle in a fresh \`node\` process
  with the settings the stack gives the function, and the CPU time it used (user + system, all
  threads: the better guide on a busy machine); ratio = (a) / (b), the target is on wall time. Sizes are of the minified JavaScript
  (maps excluded); gzip at level 9 approximates the zip. RSS is the process's resident memory right
  after init, Node's own ~40 MB included; it is what the memory size in lib/function-sizing.ts is
  checked against.
- **Load**: autocannon on loopback against the local stack (the same handlers, emulated AWS), rate
  limits raised so that the limiter does not answer instead of the handlers. \`POST /api/password-reset\`
  asks for the demo account (so every request queues an email; the bench then waits for the queue to
  drain and counts the emails in the local inbox); \`POST /api/session\` signs the demo user in.
  The emulators (dynalite, cognito-local, the SES emulator) dominate these figures: they compare
  builds of this project on one machine, not AWS capacity.
`;
}
