// The OpenID Provider function's size and cold start: its bundle as the stack builds it (minified
// CommonJS, SDK inside) and as minified ESM, the time to load it, and the time to build the
// Provider (keys, configuration, Koa app) that the first request pays. Each in a fresh Node
// process, median of N runs. Run: npm run bench:provider -- [runs]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { median } from './stats';

const ROOT = join(__dirname, '..');
const WORK = join(ROOT, 'bench', '.work', 'provider');
const RUNS = Number(process.argv[2] ?? 7);

const ENV = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'eu-west-1',
  SITE_URL: 'https://support.example.com',
  TABLE_NAME: 'support-access',
  USER_POOL_ID: 'eu-west-1_Example12',
  OIDC_KEYS_SECRET: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:oidc-keys',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

function bundle(entry: string, outfile: string, format: 'cjs' | 'esm'): { bytes: number; gzip: number } {
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format,
    target: `node${process.versions.node.split('.')[0]}`,
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    ...(format === 'esm'
      ? {
          mainFields: ['module', 'main'],
          // CommonJS packages inside (Koa, the SDK's parts) still call require for Node's modules.
          banner: { js: "import{createRequire}from'module';const require=createRequire(import.meta.url);" },
        }
      : {}),
  });
  const code = readFileSync(outfile);
  return { bytes: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

function timed(script: string): number {
  const runs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const out = execFileSync(process.execPath, ['--no-warnings', '-e', script], {
      env: ENV,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    runs.push(Number(out));
  }
  return median(runs);
}

function main(): void {
  mkdirSync(WORK, { recursive: true });
  const handler = join(ROOT, 'lambdas', 'handlers', 'oidc-provider.ts');
  const cjs = join(WORK, 'handler.js');
  const esm = join(WORK, 'handler.mjs');
  const build = join(WORK, 'build.js');
  const sizes = {
    cjs: bundle(handler, cjs, 'cjs'),
    esm: bundle(handler, esm, 'esm'),
  };
  bundle(join(ROOT, 'bench', 'provider', 'build-entry.ts'), build, 'cjs');
  const print = (ms: number) => `${ms.toFixed(0)} ms`;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  console.log(`OpenID Provider function (median of ${RUNS} fresh processes, Node ${process.versions.node})`);
  console.log(`  bundle, minified CommonJS (as deployed)  ${kb(sizes.cjs.bytes)} (${kb(sizes.cjs.gzip)} gzip)`);
  console.log(`  bundle, minified ESM                     ${kb(sizes.esm.bytes)} (${kb(sizes.esm.gzip)} gzip)`);
  const load = `const t=performance.now();require(${JSON.stringify(cjs)});process.stdout.write(String(performance.now()-t));process.exit(0)`;
  const loadEsm = `const t=performance.now();import(${JSON.stringify(esm)}).then(()=>{process.stdout.write(String(performance.now()-t));process.exit(0)})`;
  const provider = `const m=require(${JSON.stringify(build)});process.stdout.write(String(m.buildOnce()));process.exit(0)`;
  console.log(`  load the handler (CommonJS)              ${print(timed(load))}`);
  console.log(`  load the handler (ESM)                   ${print(timed(loadEsm))}`);
  console.log(`  build the Provider (first request)       ${print(timed(provider))}`);
}

main();
