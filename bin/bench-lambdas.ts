// `npm run bench:lambdas`: only the Lambda part of `npm run bench` (a minute instead of many); it
// prints the table and replaces the Lambda section of BENCHMARKS.md, leaving the rest as it was.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureLambdas } from '../bench/lambda-bundles';
import { loadAverage } from '../bench/machine';
import { lambdaMissLines, renderLambdaTable, replaceLambdaSection } from '../bench/report';
import { integerEnv } from '../lambdas/config';

const ROOT = join(__dirname, '..');
const runs = integerEnv('BENCH_LAMBDA_RUNS', 7, 1, 100);
const loadAtStart = loadAverage();
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
log(`Lambda bundles, ${runs} fresh processes per build and handler…`);
const lambdas = measureLambdas(join(ROOT, 'bench', '.work', 'bundled'), runs, log);
const file = join(ROOT, 'BENCHMARKS.md');
const run = {
  date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  runs,
  load1: [loadAtStart, loadAverage()] as const,
  lambdas,
};
writeFileSync(file, replaceLambdaSection(readFileSync(file, 'utf8'), run));
const table = renderLambdaTable(lambdas);
console.log(table);
const missed = lambdaMissLines(lambdas);
console.log(
  missed.length === 0 ? '\nEvery Lambda target met.' : `\nMissed:\n${missed.map((m) => `- ${m}`).join('\n')}`,
);
process.exit(missed.length === 0 ? 0 : 1);
