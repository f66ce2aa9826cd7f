// Where the ops CLI works: the local runner (npm start writes its emulator endpoints to
// .local/endpoints.json) or a deployed stack (its CloudFormation outputs).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { lifetimeDefaults } from '../lambdas/definitions/lifetimes';
import { portalDefaults } from '../lambdas/definitions/portal';
import { loginUrl } from '../lambdas/definitions/routes';
import type { LocalStack } from '../local/local-stack';

/** A usage or target problem: the command cannot start (exit code 2). */
export class OpsUsageError extends Error {
  override readonly name = 'OpsUsageError';
}

export interface OpsSettings {
  /** For messages: which system the command works on. */
  readonly description: string;
  readonly region: string;
  /** AWS named profile (deployed stacks only). */
  readonly profile?: string;
  /** Emulator endpoints and their dummy credentials (local runner only). */
  readonly local?: {
    readonly dynamodb: string;
    readonly cognito: string;
    readonly ses: string;
    /** The local Secrets Manager (the provider's keys). */
    readonly secretsmanager?: string;
  };
  /** The OpenID Provider's key secret (name or ARN), for `keys init` and `keys rotate`. */
  readonly oidcKeysSecret?: string | undefined;
  /** Tools the local runner registered from OIDC_CLIENTS (JSON), so `disable` can sign them out too. */
  readonly oidcClients?: string | undefined;
  readonly tableName: string;
  readonly userPoolId: string;
  readonly loginUrl: string;
  readonly senderEmail: string;
  readonly templatePrefix: string;
  readonly configurationSet: string | undefined;
  readonly portalName: string;
  readonly primaryColour: string;
  readonly temporaryPasswordMinutes: number;
  /** cognito-local has no AdminUserGlobalSignOut; real Cognito does. */
  readonly globalSignOut: boolean;
}

export const DEFAULT_LOCAL_FILE = join(__dirname, '..', '.local', 'endpoints.json');
export const DEFAULT_STACK = 'SupportAccess';

interface LocalFile {
  readonly kind: 'support-access-local';
  readonly pid: number;
  readonly startedAt: string;
  readonly siteUrl: string;
  readonly region: string;
  readonly endpoints: {
    readonly dynamodb: string;
    readonly cognito: string;
    readonly ses: string;
    readonly secretsmanager?: string;
  };
  readonly oidcKeysSecret?: string | undefined;
  readonly oidcClients?: string | undefined;
  readonly tableName: string;
  readonly userPoolId: string;
  readonly templatePrefix: string;
  readonly senderEmail: string;
  readonly portalName: string;
  readonly primaryColour: string;
  readonly temporaryPasswordMinutes: number;
}

/**
 * Written by the local runner once it is up: the emulators' own endpoints (never the fault
 * proxies tests may put in front of the handlers) and the names the handlers were given.
 */
export function writeLocalOpsFile(
  path: string,
  stack: LocalStack,
  env: Readonly<Record<string, string | undefined>> = stack.environment,
): void {
  const file: LocalFile = {
    kind: 'support-access-local',
    pid: process.pid,
    startedAt: new Date().toISOString(),
    siteUrl: stack.url,
    region: env.AWS_REGION ?? 'eu-west-1',
    endpoints: stack.endpoints,
    oidcKeysSecret: env.OIDC_KEYS_SECRET,
    // Local tools only (the demo tool, tests); the file is readable by its owner only.
    oidcClients: env.OIDC_CLIENTS,
    tableName: stack.bootstrapped.tableName,
    userPoolId: stack.bootstrapped.userPoolId,
    templatePrefix: stack.bootstrapped.templatePrefix,
    senderEmail: env.SENDER_EMAIL ?? 'no-reply@support.example.com',
    portalName: env.PORTAL_NAME ?? portalDefaults.name,
    primaryColour: env.PRIMARY_COLOUR ?? portalDefaults.primaryColour,
    temporaryPasswordMinutes: Number(env.TEMPORARY_PASSWORD_MINUTES ?? lifetimeDefaults.temporaryPasswordMinutes),
  };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLocalSettings(path: string = DEFAULT_LOCAL_FILE): OpsSettings {
  const start = 'Start the local runner with `npm start` (or target a deployed stack with --stack and --region).';
  if (!existsSync(path)) throw new OpsUsageError(`The local runner is not running: ${path} does not exist. ${start}`);
  let file: LocalFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as LocalFile;
  } catch {
    throw new OpsUsageError(`${path} is not the local runner's endpoints file. ${start}`);
  }
  if (file.kind !== 'support-access-local' || !file.endpoints || !file.tableName || !file.userPoolId) {
    throw new OpsUsageError(`${path} is not the local runner's endpoints file. ${start}`);
  }
  if (!isRunning(file.pid)) {
    throw new OpsUsageError(`The local runner that wrote ${path} (process ${file.pid}) has stopped. ${start}`);
  }
  return {
    description: `the local runner at ${file.siteUrl}`,
    region: file.region,
    local: file.endpoints,
    oidcKeysSecret: file.oidcKeysSecret,
    oidcClients: file.oidcClients,
    tableName: file.tableName,
    userPoolId: file.userPoolId,
    loginUrl: loginUrl(file.siteUrl),
    senderEmail: file.senderEmail,
    templatePrefix: file.templatePrefix,
    configurationSet: undefined,
    portalName: file.portalName,
    primaryColour: file.primaryColour,
    temporaryPasswordMinutes: file.temporaryPasswordMinutes,
    globalSignOut: false,
  };
}

/** The outputs the CLI needs; lib/support-access-stack.ts creates them. */
export const REQUIRED_OUTPUTS = [
  'LoginUrl',
  'UserPoolId',
  'TableName',
  'SenderEmail',
  'EmailTemplatePrefix',
  'EmailConfigurationSet',
  'PortalName',
  'PrimaryColour',
  'TemporaryPasswordMinutes',
] as const;

export interface AwsTarget {
  readonly stack: string;
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
}

/** Reads a deployed stack's outputs. Throws OpsUsageError with what to fix when it cannot. */
export async function readStackSettings(
  target: AwsTarget,
  cloudFormation = new CloudFormationClient({
    ...(target.region ? { region: target.region } : {}),
    ...(target.profile ? { profile: target.profile } : {}),
  }),
): Promise<OpsSettings> {
  let outputs: Record<string, string>;
  let region: string;
  try {
    region = await cloudFormation.config.region();
    const { Stacks = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: target.stack }));
    outputs = Object.fromEntries(
      (Stacks[0]?.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']),
    );
  } catch (error) {
    const { name = '', message = String(error) } = (error ?? {}) as { name?: string; message?: string };
    if (/region is missing/i.test(message)) {
      throw new OpsUsageError('No AWS region: pass --region (e.g. --region eu-west-1) or set one in your AWS profile.');
    }
    if (name === 'ValidationError' && /does not exist/.test(message)) {
      throw new OpsUsageError(
        `There is no stack "${target.stack}" in ${target.region ?? 'this region'}. Check --stack and --region.`,
      );
    }
    if (name === 'CredentialsProviderError' || /credential/i.test(message)) {
      throw new OpsUsageError(
        `No AWS credentials${target.profile ? ` for profile "${target.profile}"` : ''}: sign in (e.g. aws sso login) or pass --profile.`,
      );
    }
    throw new OpsUsageError(`Could not read the stack "${target.stack}": ${name}: ${message}`);
  } finally {
    cloudFormation.destroy();
  }
  const missing = REQUIRED_OUTPUTS.filter((key) => !outputs[key]);
  if (missing.length > 0) {
    throw new OpsUsageError(
      `The stack "${target.stack}" has no output ${missing.join(', ')}: deploy this version of the project first.`,
    );
  }
  const get = (key: (typeof REQUIRED_OUTPUTS)[number]) => outputs[key] as string;
  return {
    description: `the stack ${target.stack} in ${region}`,
    region,
    ...(target.profile ? { profile: target.profile } : {}),
    tableName: get('TableName'),
    userPoolId: get('UserPoolId'),
    loginUrl: get('LoginUrl'),
    senderEmail: get('SenderEmail'),
    templatePrefix: get('EmailTemplatePrefix'),
    configurationSet: get('EmailConfigurationSet'),
    portalName: get('PortalName'),
    primaryColour: get('PrimaryColour'),
    temporaryPasswordMinutes: Number(get('TemporaryPasswordMinutes')),
    // Optional: stacks deployed before the OpenID Provider have none.
    oidcKeysSecret: outputs.OidcKeysSecret || undefined,
    globalSignOut: true,
  };
}
