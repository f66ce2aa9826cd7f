// `npm run ops -- <command>`: credential requests and accounts, for the support team. Parses the
// arguments, picks the target (the local runner unless --stack/--region/--profile), runs one
// command of ops/service.ts and prints the outcome. Exit codes: 0 done, 1 refused or failed
// (nothing half-done), 2 wrong usage or no target.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { defaultLanguage, isLanguage, languages } from '../lambdas/definitions/languages';
import { OpsError } from '../lambdas/domain/credential-requests';
import type { AccountSummary, CredentialRequestRecord, CredentialRequestStatus } from '../lambdas/domain/ports';
import { CLIENTS_USAGE, runClientsCommand } from './clients-cli';
import { type OpsService, opsService } from './service';
import {
  DEFAULT_LOCAL_FILE,
  DEFAULT_STACK,
  type OpsSettings,
  OpsUsageError,
  readLocalSettings,
  readStackSettings,
} from './settings';

export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;

export interface OpsIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export interface RunOptions {
  /** Use these settings instead of resolving a target (tests). */
  readonly settings?: OpsSettings;
}

export const USAGE = `Usage: npm run ops -- <command> [options]

Credential requests
  requests [--status pending|approved|rejected|all]   list requests, newest first (default: all)
  show <ref>                                          one request in full
  approve <ref>                                       create the account and email a temporary password
  reject <ref> --reason "..."                         reject, and email the reason to the requester

Accounts
  users                                               list the accounts
  disable <user>                                      disable an account (username or email) and end its sessions
  enable <user>                                       enable it again

Second factors
  factors reset <user> [--language en|it]             remove a person's second factors (lost phone): ends their
                                                      sessions, emails them (in --language, default en), audits

${CLIENTS_USAGE}

Target (default: the local runner started with npm start)
  --stack <name>       a deployed stack (default name ${DEFAULT_STACK} when --region or --profile is given)
  --region <region>    its AWS region
  --profile <name>     the AWS profile to use
  --endpoints <file>   the local runner's endpoints file (default .local/endpoints.json)

Other options
  --by <name>          who decides, for the record (default: your login name)
  --json               print JSON instead of a table
  -h, --help           this help

Exit codes: 0 done, 1 refused or failed (nothing was changed), 2 wrong usage or target not reachable.`;

const STATUSES = { pending: 'PENDING', approved: 'APPROVED', rejected: 'REJECTED', all: undefined } as const;

/** Terminal output never carries another program's control sequences, whatever was stored. */
function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is exactly what is removed
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '?');
}

function utc(epochMs: number | undefined): string {
  if (epochMs === undefined) return '';
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join('')}…`;
}

function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell + ' '.repeat(Math.max(0, (widths[i] ?? 0) - [...cell].length)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

function notes(request: CredentialRequestRecord, now: number): string {
  const parts: string[] = [];
  if (request.status === 'APPROVED' && request.username) parts.push(`account ${request.username}`);
  if (request.status === 'PENDING') {
    if (request.accountCheck === 'exists') parts.push(`email has account: ${request.existingUsernames.join(', ')}`);
    if (request.accountCheck === 'unknown') parts.push('account check failed');
    if (request.earlierPending.length > 0) parts.push(`also pending: ${request.earlierPending.join(', ')}`);
    if (request.claimUntil !== undefined && request.claimUntil > now) parts.push('being decided now');
  }
  return parts.join('; ');
}

/**
 * An empty list under a --status filter says how many requests the other states hold, so "none
 * pending" is not read as "none at all".
 */
function printNoRequests(
  status: CredentialRequestStatus | undefined,
  all: readonly CredentialRequestRecord[],
  io: OpsIo,
  settings: OpsSettings,
): void {
  if (status === undefined || all.length === 0) {
    io.out(`No credential requests in ${settings.description}.`);
    return;
  }
  const counts = (Object.keys(STATUSES) as (keyof typeof STATUSES)[])
    .filter((name) => STATUSES[name] !== undefined && STATUSES[name] !== status)
    .map((name) => `${all.filter((r) => r.status === STATUSES[name]).length} ${name}`);
  io.out(
    `No ${status.toLowerCase()} credential requests in ${settings.description} (${counts.join(', ')}). ` +
      'Run `requests` without --status to list them all.',
  );
}

function printRequests(requests: CredentialRequestRecord[], io: OpsIo): void {
  const now = Date.now();
  const rows = requests.map((r) => [
    r.reference,
    r.status.toLowerCase(),
    utc(r.createdAt),
    cut(clean(r.fullName), 28),
    cut(clean(r.company), 24),
    clean(r.email),
    clean(notes(r, now)),
  ]);
  for (const line of table(['REFERENCE', 'STATUS', 'REQUESTED', 'NAME', 'COMPANY', 'EMAIL', 'NOTES'], rows)) {
    io.out(line);
  }
}

function printRequest(r: CredentialRequestRecord, io: OpsIo): void {
  const field = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') io.out(`${`${label}:`.padEnd(19)}${clean(value)}`);
  };
  field('Reference', r.reference);
  field('Status', r.status.toLowerCase());
  field('Requested', `${utc(r.createdAt)} from ${r.requestIp}`);
  field('Name', r.fullName);
  field('Company', r.company);
  field('Email', r.email);
  field('Phone', r.phone ?? '(not given)');
  field('Language', r.language);
  field(
    'Existing account',
    r.accountCheck === 'exists'
      ? r.existingUsernames.join(', ')
      : r.accountCheck === 'none'
        ? 'none when requested'
        : 'check failed',
  );
  field('Also pending', r.earlierPending.join(', '));
  field('Decided', r.decidedAt ? `${utc(r.decidedAt)} by ${r.decidedBy ?? '?'}` : undefined);
  field('Account', r.username);
  field('Rejection reason', r.rejectionReason);
  io.out('Reason:');
  for (const line of r.reason.split('\n')) io.out(`  ${clean(line)}`);
  if (r.status === 'PENDING') {
    io.out('');
    io.out(`Decide with: npm run ops -- approve ${r.reference}`);
    io.out(`         or: npm run ops -- reject ${r.reference} --reason "..."`);
  }
}

function printUsers(users: AccountSummary[], io: OpsIo, settings: OpsSettings): void {
  if (users.length === 0) {
    io.out(`No accounts in ${settings.description}.`);
    return;
  }
  const rows = users.map((u) => [
    clean(u.username),
    clean(u.email),
    cut(clean(u.fullName ?? ''), 28),
    u.enabled ? 'enabled' : 'DISABLED',
    u.status.toLowerCase(),
    utc(u.createdAt),
  ]);
  for (const line of table(['USERNAME', 'EMAIL', 'NAME', 'STATE', 'STATUS', 'CREATED'], rows)) io.out(line);
}

interface Parsed {
  readonly command: string;
  readonly args: string[];
  readonly values: {
    status?: string | undefined;
    reason?: string | undefined;
    stack?: string | undefined;
    region?: string | undefined;
    profile?: string | undefined;
    endpoints?: string | undefined;
    by?: string | undefined;
    language?: string | undefined;
    json?: boolean | undefined;
    help?: boolean | undefined;
  };
}

function parse(argv: string[]): Parsed {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's own errors may come from another realm (e.g. under jest), so no instanceof here.
    const message = (error as { message?: unknown }).message;
    throw new OpsUsageError(typeof message === 'string' ? (message.split('\n')[0] ?? message) : 'bad arguments');
  }
  const [command = '', ...args] = parsed.positionals;
  return { command, args, values: parsed.values };
}

const OPTIONS = {
  status: { type: 'string' },
  reason: { type: 'string' },
  stack: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  endpoints: { type: 'string' },
  by: { type: 'string' },
  language: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COMMANDS: Record<string, { args: string[]; options: string[] }> = {
  requests: { args: [], options: ['status'] },
  show: { args: ['<ref>'], options: [] },
  approve: { args: ['<ref>'], options: [] },
  reject: { args: ['<ref>'], options: ['reason'] },
  users: { args: [], options: [] },
  disable: { args: ['<user>'], options: [] },
  enable: { args: ['<user>'], options: [] },
  factors: { args: ['reset', '<user>'], options: ['language'] },
};

function checkUsage({ command, args, values }: Parsed): void {
  const spec = COMMANDS[command];
  if (!spec) throw new OpsUsageError(`Unknown command "${command}". Commands: ${Object.keys(COMMANDS).join(', ')}.`);
  if (args.length < spec.args.length) {
    throw new OpsUsageError(
      `"${command}" needs ${spec.args.join(' ')}: npm run ops -- ${command} ${spec.args.join(' ')}`,
    );
  }
  if (args.length > spec.args.length) {
    throw new OpsUsageError(
      `"${command}" takes ${spec.args.length === 0 ? 'no arguments' : spec.args.join(' ')}, got: ${args.join(' ')}` +
        (command === 'reject' ? ' (put the reason in quotes after --reason)' : ''),
    );
  }
  if (command === 'factors' && args[0] !== 'reset') {
    throw new OpsUsageError(`"factors" knows one action, reset: npm run ops -- factors reset <user>`);
  }
  if (values.language !== undefined && !isLanguage(values.language)) {
    throw new OpsUsageError(`--language must be one of ${languages.join(', ')}, got "${values.language}".`);
  }
  for (const option of ['status', 'reason', 'language'] as const) {
    if (values[option] !== undefined && !spec.options.includes(option)) {
      throw new OpsUsageError(`--${option} does not apply to "${command}".`);
    }
  }
  if (command === 'reject' && !values.reason?.trim()) {
    throw new OpsUsageError(
      `"reject" needs the reason the person will read: npm run ops -- reject ${args[0] ?? '<ref>'} --reason "..."`,
    );
  }
  if (values.status !== undefined && !(values.status in STATUSES)) {
    throw new OpsUsageError(`--status must be one of ${Object.keys(STATUSES).join(', ')}, got "${values.status}".`);
  }
  if (values.by !== undefined && !/^[\w .@-]{1,64}$/.test(values.by)) {
    throw new OpsUsageError('--by must be a name of at most 64 letters, digits, spaces and . @ _ -');
  }
  if (values.endpoints !== undefined && (values.stack ?? values.region ?? values.profile) !== undefined) {
    throw new OpsUsageError(
      '--endpoints is for the local runner; --stack, --region and --profile for a deployed stack. Pick one.',
    );
  }
}

async function resolveSettings(values: Parsed['values']): Promise<OpsSettings> {
  if (values.stack !== undefined || values.region !== undefined || values.profile !== undefined) {
    return readStackSettings({ stack: values.stack ?? DEFAULT_STACK, region: values.region, profile: values.profile });
  }
  return readLocalSettings(values.endpoints ?? DEFAULT_LOCAL_FILE);
}

function decidedBy(values: Parsed['values']): string {
  if (values.by) return values.by;
  try {
    return userInfo().username || 'ops';
  } catch {
    return 'ops';
  }
}

async function execute(parsed: Parsed, service: OpsService, io: OpsIo): Promise<void> {
  const { command, args, values } = parsed;
  const json = (value: unknown) => io.out(JSON.stringify(value, null, 2));
  const [subject = ''] = args;
  switch (command) {
    case 'requests': {
      const status = STATUSES[(values.status ?? 'all') as keyof typeof STATUSES];
      const requests = await service.listRequests(status);
      if (values.json) json(requests);
      else if (requests.length > 0) printRequests(requests, io);
      else printNoRequests(status, status ? await service.listRequests() : [], io, service.settings);
      return;
    }
    case 'show': {
      const request = await service.showRequest(subject);
      if (values.json) json(request);
      else printRequest(request, io);
      return;
    }
    case 'approve': {
      const approval = await service.approve(subject);
      if (values.json) json(approval);
      else {
        io.out(`Approved ${approval.reference}: created the account ${approval.username} for ${approval.email}.`);
        io.out(
          `The welcome email with a temporary password is on its way; the password must be changed at the first sign-in and works until ${utc(approval.temporaryPasswordExpiresAt.getTime())}.`,
        );
      }
      return;
    }
    case 'reject': {
      const rejection = await service.reject(subject, values.reason ?? '');
      if (values.json) json(rejection);
      else io.out(`Rejected ${rejection.reference}; the reason was emailed to ${rejection.email}.`);
      return;
    }
    case 'users': {
      const users = await service.listUsers();
      if (values.json) json(users);
      else printUsers(users, io, service.settings);
      return;
    }
    case 'disable':
    case 'enable': {
      const enabled = command === 'enable';
      const result = await service.setEnabled(subject, enabled);
      if (values.json) json(result);
      else if (!result.changed) {
        io.out(`${result.username} was already ${enabled ? 'enabled' : 'disabled'}; nothing to change.`);
      } else if (enabled) io.out(`Enabled ${result.username}: the account can sign in again.`);
      else {
        io.out(`Disabled ${result.username}; ended ${result.sessionsEnded} portal session(s).`);
        if (result.toolsSignedOut?.length) io.out(`Signed out of: ${result.toolsSignedOut.join(', ')}.`);
      }
      return;
    }
    case 'factors': {
      const language = isLanguage(values.language) ? values.language : defaultLanguage;
      const reset = await service.resetFactors(args[1] ?? '', language);
      if (values.json) json(reset);
      else {
        io.out(
          `Reset the second factors of ${reset.username}: removed ${reset.removed} item(s), ended ${reset.sessionsEnded} session(s).`,
        );
        io.out(`They were told by email; an audit entry in ${service.settings.description} records who did it.`);
      }
      return;
    }
  }
}

/** Runs one command; resolves to the exit code. Never throws. */
export async function runOps(argv: string[], io: OpsIo, options: RunOptions = {}): Promise<number> {
  if (argv[0] === 'clients' || argv[0] === 'keys') {
    return runClientsCommand(argv, io, (target) => resolveSettings(target), options.settings);
  }
  let parsed: Parsed;
  try {
    parsed = parse(argv);
    if (parsed.values.help || parsed.command === 'help') {
      io.out(USAGE);
      return EXIT.ok;
    }
    if (parsed.command === '') {
      io.err(USAGE);
      return EXIT.usage;
    }
    checkUsage(parsed);
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    io.err('Run `npm run ops -- --help` for the commands.');
    return EXIT.usage;
  }

  let service: OpsService | undefined;
  try {
    const settings = options.settings ?? (await resolveSettings(parsed.values));
    service = opsService(settings, { decidedBy: decidedBy(parsed.values) });
    await execute(parsed, service, io);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof OpsUsageError) {
      io.err(error.message);
      return EXIT.usage;
    }
    if (error instanceof OpsError) {
      io.err(error.message);
      return EXIT.refused;
    }
    const { name = 'Error', message = String(error) } = (error ?? {}) as { name?: string; message?: string };
    const unreachable = /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|socket hang up|TimeoutError/i.test(`${name} ${message}`);
    io.err(
      unreachable
        ? `Could not reach ${service?.settings.description ?? 'the target'} (${name}). Is it running? Nothing was changed.`
        : `The command failed: ${name}: ${message}`,
    );
    return unreachable ? EXIT.usage : EXIT.refused;
  } finally {
    service?.close();
  }
}
