// Where the local stack gets the synthesized template whose IAM policies it enforces:
// LOCAL_IAM_TEMPLATE=<file> if set; otherwise the stack synthesized in-process with bundling
// skipped, cached under node_modules/.cache/ by a hash of the files that shape the template.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type CfnTemplate, TemplateError } from './template-policies';

const ROOT = join(__dirname, '..', '..');
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'support-access');

/** What shapes the template's policies and function settings (handler code does not, with bundling skipped). */
const TEMPLATE_INPUTS = [
  'lib',
  'lambdas/definitions',
  'lambdas/emails',
  'lambdas/adapters/dynamodb-store.ts',
  'cdk.json',
  'package-lock.json',
];

/** The addresses the local stack has always used; the synthesized template carries them into the handlers. */
export const LOCAL_SYNTH_CONTEXT = {
  senderEmail: 'no-reply@support.example.com',
  opsEmail: 'ops@support.example.com',
  // The dev stage with its placeholder account, as `npm run synth` allows it.
  allowPlaceholders: true,
};

export interface TemplateSource {
  readonly template: CfnTemplate;
  /** The file it came from, for log lines. */
  readonly origin: string;
}

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .map((name) => join(path, name))
    .filter((file) => statSync(file).isFile())
    .sort();
}

function inputsHash(): string {
  const hash = createHash('sha256').update(JSON.stringify(LOCAL_SYNTH_CONTEXT));
  for (const input of TEMPLATE_INPUTS) {
    for (const file of filesUnder(join(ROOT, input))) hash.update(relative(ROOT, file)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

export function readTemplateFile(file: string): CfnTemplate {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TemplateError(
      `LOCAL_IAM_TEMPLATE=${file} cannot be read as JSON (${error instanceof Error ? error.message : String(error)}): ` +
        'give it a template from `npx cdk synth` (cdk.out/SupportAccess.template.json)',
    );
  }
  if (!parsed || typeof parsed !== 'object' || !('Resources' in parsed)) {
    throw new TemplateError(`LOCAL_IAM_TEMPLATE=${file} has no Resources: give it a CloudFormation template`);
  }
  return parsed as CfnTemplate;
}

function synthesize(): CfnTemplate {
  // Loaded only here: aws-cdk-lib takes seconds to import and is not needed once the cache is warm.
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const { loadConfig } = require('../../lib/app-config') as typeof import('../../lib/app-config');
  const { defineDeployment } = require('../../lib/deployment') as typeof import('../../lib/deployment');
  const cdkJson = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  const app = new App({
    context: { ...cdkJson.context, ...LOCAL_SYNTH_CONTEXT, 'aws:cdk:bundling-stacks': [] },
  });
  const config = loadConfig({ context: (key) => app.node.tryGetContext(key), env: {} });
  // The stacks `cdk deploy` would make; the functions and their roles are in the main one.
  const { main } = defineDeployment(app, config);
  return app.synth().getStackByName(main.stackName).template as CfnTemplate;
}

export async function loadTemplate(env: NodeJS.ProcessEnv = process.env): Promise<TemplateSource> {
  const file = env.LOCAL_IAM_TEMPLATE;
  if (file) return { template: readTemplateFile(file), origin: file };
  const cached = join(CACHE_DIR, `iam-template-${inputsHash()}.json`);
  if (existsSync(cached)) return { template: readTemplateFile(cached), origin: cached };
  console.error('[local] synthesizing the stack (bundling skipped) for its IAM policies; cached for the next start');
  const template = synthesize();
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(cached, JSON.stringify(template));
  return { template, origin: cached };
}
