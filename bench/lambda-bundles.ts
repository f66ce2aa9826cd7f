// Each Lambda handler bundled as the stack bundles it (esbuild, minified CommonJS, the AWS SDK
// inside), against the same handler with its packages left in node_modules (the SDK loaded from
// there, as a function without bundling would): bundle size, and module initialisation time in a
// fresh Node process, median over runs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { median } from './stats';

const ROOT = join(__dirname, '..');
const HANDLERS = join(ROOT, 'lambdas', 'handlers');

export interface LambdaFigures {
  readonly handler: string;
  readonly bundleBytes: number;
  readonly bundleGzipBytes: number;
  /** Median module initialisation of the bundle, ms; undefined when it could not start. */
  readonly bundledInitMs: number | undefined;
  readonly unbundledInitMs: number | undefined;
  readonly error?: string;
}

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

function build(entry: string, outfile: string, external: boolean): void {
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // The stack targets node24 (its runtime); this machine runs the measurement on its own Node.
    target: `node${process.versions.node.split('.')[0]}`,
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    ...(external ? { packages: 'external' as const } : {}),
  });
}

/** Loads a module in a fresh Node process and returns how long require() took, in ms. */
function initTime(file: string, env: Record<string, string>): number {
  const script = `const t=performance.now();require(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t));process.exit(0)`;
  const out = execFileSync(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return Number(out);
}

/** Finds the environment a handler needs to start, adding stand-ins for what it asks for. */
function workingEnv(file: string): Record<string, string> {
  const env = { ...BASE_ENV };
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      initTime(file, env);
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

export function measureLambdas(workDir: string, runs: number): LambdaFigures[] {
  const bundledDir = join(workDir, 'bundled');
  // Inside the project, so require() finds node_modules for the unbundled packages.
  const externalDir = join(ROOT, 'bench', '.work', 'unbundled');
  mkdirSync(bundledDir, { recursive: true });
  mkdirSync(externalDir, { recursive: true });
  const handlers = readdirSync(HANDLERS)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -3))
    .sort();
  return handlers.map((handler) => {
    const entry = join(HANDLERS, `${handler}.ts`);
    const bundled = join(bundledDir, `${handler}.js`);
    const unbundled = join(externalDir, `${handler}.js`);
    build(entry, bundled, false);
    build(entry, unbundled, true);
    const code = readFileSync(bundled);
    const base = { handler, bundleBytes: code.length, bundleGzipBytes: gzipSync(code, { level: 9 }).length };
    try {
      const env = workingEnv(bundled);
      const bundledTimes: number[] = [];
      const unbundledTimes: number[] = [];
      // Interleaved, so a busy moment on the machine hurts both alike.
      for (let run = 0; run < runs; run++) {
        bundledTimes.push(initTime(bundled, env));
        unbundledTimes.push(initTime(unbundled, env));
      }
      return { ...base, bundledInitMs: median(bundledTimes), unbundledInitMs: median(unbundledTimes) };
    } catch (error) {
      return {
        ...base,
        bundledInitMs: undefined,
        unbundledInitMs: undefined,
        error: error instanceof Error ? error.message : String(error),
      };
    }
  });
}
