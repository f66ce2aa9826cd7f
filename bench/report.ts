// Turns the bench's figures into one table (printed and written to BENCHMARKS.md), saying for each
// row which target it misses.
import type { LambdaFigures } from './lambda-bundles';
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

function lambdaRow(lambda: LambdaFigures): Row {
  const size = `${kb(lambda.bundleBytes)} (${kb(lambda.bundleGzipBytes)} gzip)`;
  if (lambda.bundledInitMs === undefined || lambda.unbundledInitMs === undefined) {
    return ['Lambda bundle: size, init', lambda.handler, size, '—', 'starts', `**missed**: ${lambda.error}`];
  }
  const ratio = lambda.unbundledInitMs / lambda.bundledInitMs;
  return [
    'Lambda bundle: size, module init',
    lambda.handler,
    `${size}, init ${ms(lambda.bundledInitMs)}`,
    `unbundled SDK from node_modules: init ${ms(lambda.unbundledInitMs)} (ratio ${ratio.toFixed(2)})`,
    'bundle starts faster (ratio > 1)',
    verdict(ratio > 1 ? [] : [`ratio ${ratio.toFixed(2)}`]),
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
    ...figures.lambdas.map(lambdaRow),
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

export function renderMarkdown(figures: BenchFigures, table: string): string {
  const { machine } = figures;
  const missed = misses(table);
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
- **Lambda bundles**: every file in lambdas/handlers bundled with esbuild as the stack does (minified
  CommonJS, the AWS SDK and every package inside), and again with all packages left in node_modules
  (the SDK loaded from there). Init = time of \`require()\` of the bundle in a fresh \`node\` process
  with the settings the stack gives it; ratio = unbundled / bundled (above 1: the bundle starts faster).
  Sizes are of the minified JavaScript (source maps excluded); gzip at level 9 approximates the zip.
- **Load**: autocannon on loopback against the local stack (the same handlers, emulated AWS), rate
  limits raised so that the limiter does not answer instead of the handlers. \`POST /api/password-reset\`
  asks for the demo account (so every request queues an email; the bench then waits for the queue to
  drain and counts the emails in the local inbox); \`POST /api/session\` signs the demo user in.
  The emulators (dynalite, cognito-local, the SES emulator) dominate these figures: they compare
  builds of this project on one machine, not AWS capacity.
`;
}
