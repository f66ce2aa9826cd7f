// The deploy guard: a change that would replace (or drop) the user pool or the table loses every
// account or every token and session, and `cdk synth` cannot see it. The guard compares the
// templates of a base (main's synth, or what is deployed) with the head's, through `cdk diff
// --template`, which knows from CloudFormation's resource specification which property changes
// replace a resource. Offline: no account is asked anything.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/** What must never be replaced by a deploy: the accounts and the table. */
export const PROTECTED_TYPES = ['AWS::Cognito::UserPool', 'AWS::DynamoDB::Table'] as const;

export class GuardUsageError extends Error {
  override readonly name = 'GuardUsageError';
}

export interface Finding {
  readonly stack: string;
  readonly line: string;
}

// `cdk diff` marks a resource line with its impact: "replace", "may be replaced", "destroy" or
// "orphan" (a retained resource leaving the stack: a new one would start empty beside it).
const RESOURCE_LINE = /^\[([-~+])\] (AWS::\S+) (.+?)(?: (replace|may be replaced|destroy|orphan))?$/;

/** The lines of a `cdk diff --no-color` output that replace, remove or orphan a protected resource. */
export function protectedChanges(diffOutput: string): string[] {
  return diffOutput
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => {
      const match = RESOURCE_LINE.exec(line);
      if (!match) return false;
      const [, sign, type, , impact] = match;
      if (!(PROTECTED_TYPES as readonly string[]).includes(type ?? '')) return false;
      return sign === '-' || (sign === '~' && impact !== undefined);
    });
}

/** Stack artifact id -> template file, from a cloud assembly directory or a single template file. */
export function templatesIn(path: string, stackForFile?: string): Map<string, string> {
  if (!existsSync(path))
    throw new GuardUsageError(`${path} does not exist: give a cdk.out directory or a template file`);
  if (statSync(path).isFile()) {
    const stack = stackForFile ?? basename(path).replace(/\.template\.json$/, '');
    return new Map([[stack, path]]);
  }
  const files = readdirSync(path).filter((file) => file.endsWith('.template.json'));
  if (files.length === 0) throw new GuardUsageError(`${path} holds no *.template.json: synthesize into it first`);
  return new Map(files.map((file) => [file.replace(/\.template\.json$/, ''), join(path, file)]));
}

function holdsProtected(templateFile: string): boolean {
  const template = JSON.parse(readFileSync(templateFile, 'utf8')) as { Resources?: Record<string, { Type: string }> };
  return Object.values(template.Resources ?? {}).some((r) => (PROTECTED_TYPES as readonly string[]).includes(r.Type));
}

export interface GuardOptions {
  /** The head's cloud assembly (cdk.out of the change). */
  readonly head: string;
  /** The base: a cloud assembly directory, or one template file (then `stack` names its stack). */
  readonly base: string;
  readonly stack?: string | undefined;
  /** Runs `cdk diff`; replaceable in tests. */
  readonly diff?: (args: string[]) => string;
}

const runCdkDiff = (args: string[]): string => {
  const result = spawnSync('npx', ['cdk', 'diff', ...args], {
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new GuardUsageError(
      `cdk diff failed (exit ${result.status}): ${result.stderr.trim().split('\n').slice(-5).join(' ')}`,
    );
  }
  return `${result.stdout}\n${result.stderr}`;
};

/** Every protected resource the head would replace, remove or orphan, per stack. */
export function findReplacements(options: GuardOptions): Finding[] {
  const head = templatesIn(options.head);
  const base = templatesIn(options.base, options.stack);
  const diff = options.diff ?? runCdkDiff;
  const findings: Finding[] = [];
  for (const [stack, baseFile] of base) {
    if (!holdsProtected(baseFile)) continue;
    if (!head.has(stack)) {
      findings.push({
        stack,
        line: `the stack ${stack} (with the user pool or the table) is gone from ${options.head}`,
      });
      continue;
    }
    const output = diff(['--app', options.head, '--template', baseFile, '--no-color', stack]);
    for (const line of protectedChanges(output)) findings.push({ stack, line });
  }
  return findings;
}

/** `npm run guard:replacements -- --base <dir|file> [--head cdk.out] [--stack name]`: exit 1 on a finding. */
export function runGuard(
  argv: readonly string[],
  io: { out: (line: string) => void; err: (line: string) => void },
): number {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const base = value('--base');
  try {
    if (!base) {
      throw new GuardUsageError(
        'Usage: npm run guard:replacements -- --base <cdk.out of the base, or a deployed template file> [--head cdk.out] [--stack <name>]',
      );
    }
    const findings = findReplacements({ head: value('--head') ?? 'cdk.out', base, stack: value('--stack') });
    if (findings.length === 0) {
      io.out('guard:replacements: no change replaces or removes the user pool or the table.');
      return 0;
    }
    io.err('guard:replacements: this change would replace or remove data that cannot come back:');
    for (const { stack, line } of findings) io.err(`  ${stack}: ${line}`);
    io.err(
      'Keep the logical ids and the replacing properties (e.g. KeySchema, TableName, UsernameConfiguration) as they are, or plan a migration.',
    );
    return 1;
  } catch (error) {
    if (!(error instanceof GuardUsageError)) throw error;
    io.err(error.message);
    return 2;
  }
}
