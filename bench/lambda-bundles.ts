// Every Lambda handler built twice in one run: (a) the build this project deployed before issue 9
// (minified CommonJS, default main fields, source maps read at start with --enable-source-maps) and
// (b) the build the stack deploys now (lib/bundling.ts: ESM, module/main fields, maps not read).
// For each: bundle size, and the median module initialisation in a fresh Node process with the
// settings the stack gives the function, runs interleaved so a busy moment hurts both alike.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { esbuildOptions, lambdaBundling, MAX_BUNDLE_BYTES } from '../lib/bundling';
import { median } from './stats';

const ROOT = join(__dirname, '..');
const HANDLERS = join(ROOT, 'lambdas', 'handlers');

export interface BuildFigures {
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Median module initialisation, ms; undefined when it could not start. */
  readonly initMs: number | undefined;
  /** Median CPU time of the init (user + system, every thread), ms: less sensitive than wall time to a busy machine. */
  readonly cpuMs: number | undefined;
  /** Median resident set size right after init, MB. */
  readonly rssMb: number | undefined;
}

export interface LambdaFigures {
  readonly handler: string;
  /** (a) CommonJS with --enable-source-maps, as deployed before. */
  readonly before: BuildFigures;
  /** (b) lib/bundling.ts, as deployed now. */
  readonly deployed: BuildFigures;
  readonly error?: string;
}

export const LAMBDA_TARGETS = { maxBundleBytes: MAX_BUNDLE_BYTES, minInitRatio: 2 } as const;

/** Plausible settings, as the stack gives them; a handler asking for another gets a stand-in. */
const BASE_ENV: Record<string, string> = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  SITE_URL: 'https://support.example.com',
  TABLE_NAME: 'support-access',
  USER_POOL_ID: 'eu-west-1_Example12',
  USER_POOL_CLIENT_ID: 'examplec1ient1d0000000000',
  RESET_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/reset-requests',
  SENDER_EMAIL: 'no-reply@support.example.com',
  EMAIL_TEMPLATE_PREFIX: 'support-access',
  POWERTOOLS_SERVICE_NAME: 'support-access',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

function standIn(name: string): string {
  if (/URL$/.test(name)) return 'https://example.com/x';
  if (/EMAIL|ADDRESS/.test(name)) return 'ops@support.example.com';
  if (/ARN$/.test(name)) return 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x';
  return 'bench';
}

/** (a) The former NodejsFunction settings: CommonJS, minified, node24, maps without sources. */
function buildBefore(entry: string, outfile: string): void {
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'silent',
  });
}

/** (b) The one bundling definition the stack and the local stack use. */
function buildDeployed(handler: string, entry: string, outdir: string): string {
  buildSync({ ...esbuildOptions({ [handler]: entry }, outdir), logLevel: 'silent' });
  return join(outdir, `${handler}${lambdaBundling.extension}`);
}

interface Sample {
  readonly ms: number;
  readonly cpu: number;
  readonly rss: number;
}

/**
 * Loads a bundle in a fresh Node process and returns how long the load took (the module init a
 * cold start pays) and the memory it then holds. `esm` decides import() or require().
 */
function sample(file: string, esm: boolean, env: Record<string, string>): Sample {
  const load = esm ? `await import(${JSON.stringify(pathToFileURL(file).href)})` : `require(${JSON.stringify(file)})`;
  const script = `const c=process.cpuUsage(),t=performance.now();${load};const ms=performance.now()-t,u=process.cpuUsage(c);process.stdout.write(JSON.stringify({ms,cpu:(u.user+u.system)/1000,rss:process.memoryUsage().rss}));process.exit(0)`;
  const out = execFileSync(process.execPath, [...(esm ? ['--input-type=module'] : []), '-e', script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out) as Sample;
}

/** Finds the environment a handler needs to start, adding stand-ins for what it asks for. */
function workingEnv(file: string): Record<string, string> {
  const env = { ...BASE_ENV };
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      sample(file, true, env);
      return env;
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? error);
      const missing = /(\w+) environment variable is not set/.exec(stderr)?.[1];
      if (!missing) throw new Error(stderr.split('\n').find((line) => /Error/.test(line)) ?? stderr.slice(0, 200));
      env[missing] = standIn(missing);
    }
  }
  throw new Error('too many missing settings');
}

function sizes(file: string): { bytes: number; gzipBytes: number } {
  const code = readFileSync(file);
  return { bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

export function handlerNames(): string[] {
  return readdirSync(HANDLERS)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -3))
    .sort();
}

export function measureLambdas(workDir: string, runs: number, log: (line: string) => void = () => undefined) {
  const beforeDir = join(workDir, 'before-cjs');
  const deployedDir = join(workDir, 'deployed-esm');
  mkdirSync(beforeDir, { recursive: true });
  mkdirSync(deployedDir, { recursive: true });
  return handlerNames().map((handler): LambdaFigures => {
    const entry = join(HANDLERS, `${handler}.ts`);
    const beforeFile = join(beforeDir, `${handler}.js`);
    buildBefore(entry, beforeFile);
    const deployedFile = buildDeployed(handler, entry, deployedDir);
    const empty = { initMs: undefined, cpuMs: undefined, rssMb: undefined };
    try {
      const env = workingEnv(deployedFile);
      const before: Sample[] = [];
      const deployed: Sample[] = [];
      for (let run = 0; run < runs; run++) {
        // As each function starts in Lambda: the former one with NODE_OPTIONS=--enable-source-maps.
        before.push(sample(beforeFile, false, { ...env, NODE_OPTIONS: '--enable-source-maps' }));
        deployed.push(sample(deployedFile, true, env));
      }
      const figures = (samples: Sample[]) => ({
        initMs: median(samples.map((s) => s.ms)),
        cpuMs: median(samples.map((s) => s.cpu)),
        rssMb: median(samples.map((s) => s.rss)) / (1024 * 1024),
      });
      const result = {
        handler,
        before: { ...sizes(beforeFile), ...figures(before) },
        deployed: { ...sizes(deployedFile), ...figures(deployed) },
      };
      log(`  ${handler}: ${JSON.stringify(result)}`);
      return result;
    } catch (error) {
      return {
        handler,
        before: { ...sizes(beforeFile), ...empty },
        deployed: { ...sizes(deployedFile), ...empty },
        error: error instanceof Error ? error.message : String(error),
      };
    }
  });
}
