// `npm run ops -- clients …` and `npm run ops -- keys …`: the tools that sign people in through
// Support Access (OpenID Connect clients) and the provider's keys. Parses, runs one function of
// ops/clients.ts, prints. Exit codes as for the other ops commands.
import { parseArgs } from 'node:util';
import { ClientRefused, type ClientSummary, clientOps } from './clients';
import { type OpsSettings, OpsUsageError } from './settings';

export interface ClientsIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export const CLIENTS_USAGE = `Tools that sign in through Support Access (OpenID Connect clients)
  clients                                             list the registered tools
  clients add --name <name> --redirect-uri <uri> [--redirect-uri <uri> …]
              [--post-logout-redirect-uri <uri>] [--backchannel-logout-uri <uri>]
              [--home-url <url>] [--refresh-tokens]   register a tool; prints its id and secret once
  clients show <client-id>                            one tool in full
  clients remove <client-id>                          unregister a tool (its sign-ins stop at once)
  clients rotate-secret <client-id>                   a new secret, printed once; the old one stops working

Provider keys (Secrets Manager)
  keys init                                           create the first key set (once per deployment)
  keys rotate                                         the published next key starts signing, a new next key is
                                                      published, keys whose tokens have expired are dropped`;

const OPTIONS = {
  name: { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  'post-logout-redirect-uri': { type: 'string', multiple: true },
  'backchannel-logout-uri': { type: 'string' },
  'home-url': { type: 'string' },
  'refresh-tokens': { type: 'boolean' },
  stack: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  endpoints: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export type TargetOptions = { stack?: string; region?: string; profile?: string; endpoints?: string };

function printClient(client: ClientSummary, io: ClientsIo): void {
  const field = (label: string, value: string | undefined) => {
    if (value) io.out(`${`${label}:`.padEnd(27)}${value}`);
  };
  field('Client id', client.clientId);
  field('Name', client.name);
  field('Redirect URIs', client.redirectUris.join(' '));
  field('Post-logout redirect URIs', client.postLogoutRedirectUris.join(' '));
  field('Back-channel logout URI', client.backchannelLogoutUri);
  field('Home URL', client.homeUrl);
  field('Grants', client.grantTypes.join(', '));
  field('Registered', client.createdAt ? new Date(client.createdAt).toISOString() : undefined);
}

function printSecret(result: { clientId: string; clientSecret: string }, settings: OpsSettings, io: ClientsIo): void {
  const issuer = new URL(settings.loginUrl).origin;
  io.out(`Client id:      ${result.clientId}`);
  io.out(`Client secret:  ${result.clientSecret}`);
  io.out(`Discovery URL:  ${issuer}/.well-known/openid-configuration`);
  io.out('');
  io.out('The secret is shown only now: put it in the tool’s settings (client authentication: client_secret_basic');
  io.out('or client_secret_post; PKCE with S256 is required).');
}

/** Runs one clients/keys command; resolves to the exit code. Never throws. */
export async function runClientsCommand(
  argv: string[],
  io: ClientsIo,
  resolveSettings: (target: TargetOptions) => Promise<OpsSettings>,
  given?: OpsSettings,
): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as { message?: unknown }).message;
    io.err(typeof message === 'string' ? (message.split('\n')[0] ?? message) : 'bad arguments');
    io.err(CLIENTS_USAGE);
    return 2;
  }
  const [group = '', action = group === 'clients' ? 'list' : '', subject, ...extra] = parsed.positionals;
  const { values } = parsed;
  const known: Record<string, string[]> = {
    clients: ['list', 'add', 'show', 'remove', 'rotate-secret'],
    keys: ['init', 'rotate'],
  };
  const needsSubject = ['show', 'remove', 'rotate-secret'].includes(action);
  if (!known[group]?.includes(action) || extra.length > 0 || needsSubject !== (subject !== undefined)) {
    io.err(
      needsSubject && subject === undefined
        ? `"${group} ${action}" needs the client id: npm run ops -- ${group} ${action} <client-id>`
        : `Unknown command "${parsed.positionals.join(' ')}".`,
    );
    io.err(CLIENTS_USAGE);
    return 2;
  }
  if (action === 'add' && (!values.name?.trim() || !values['redirect-uri']?.length)) {
    io.err('"clients add" needs --name and at least one --redirect-uri (the tool’s callback URL, exactly).');
    return 2;
  }
  const target: TargetOptions = {
    ...(values.stack ? { stack: values.stack } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values.profile ? { profile: values.profile } : {}),
    ...(values.endpoints ? { endpoints: values.endpoints } : {}),
  };
  let ops: ReturnType<typeof clientOps> | undefined;
  try {
    const settings = given ?? (await resolveSettings(target));
    ops = clientOps(settings);
    const json = (value: unknown) => io.out(JSON.stringify(value, null, 2));
    const id = subject ?? '';
    switch (`${group} ${action}`) {
      case 'clients list': {
        const clients = await ops.list();
        if (values.json) json(clients);
        else if (clients.length === 0) io.out(`No tools registered in ${settings.description}.`);
        else for (const client of clients) io.out(`${client.clientId.padEnd(40)}  ${client.name}`);
        break;
      }
      case 'clients add': {
        const result = await ops.add({
          name: String(values.name).trim(),
          redirectUris: values['redirect-uri'] ?? [],
          postLogoutRedirectUris: values['post-logout-redirect-uri'] ?? [],
          ...(values['backchannel-logout-uri'] ? { backchannelLogoutUri: values['backchannel-logout-uri'] } : {}),
          ...(values['home-url'] ? { homeUrl: values['home-url'] } : {}),
          refreshTokens: values['refresh-tokens'] === true,
        });
        if (values.json) json(result);
        else printSecret(result, settings, io);
        break;
      }
      case 'clients show': {
        const client = await ops.show(id);
        if (values.json) json(client);
        else printClient(client, io);
        break;
      }
      case 'clients remove':
        await ops.remove(id);
        io.out(`Removed ${id}: the tool can no longer sign anyone in.`);
        break;
      case 'clients rotate-secret': {
        const result = await ops.rotateSecret(id);
        if (values.json) json(result);
        else printSecret(result, settings, io);
        break;
      }
      case 'keys init': {
        const result = await ops.initKeys();
        io.out(
          result.created
            ? `Created the provider's key set (signing key ${result.kids[0]}).`
            : `The provider already has keys (${result.kids.join(', ')}); nothing changed. Use "keys rotate" to rotate.`,
        );
        break;
      }
      case 'keys rotate': {
        const set = await ops.rotateKeys();
        if (values.json) json(set.keys.map(({ kid, state, retireAfter }) => ({ kid, state, retireAfter })));
        else {
          for (const key of set.keys) {
            const until = key.retireAfter ? ` (published until ${new Date(key.retireAfter).toISOString()})` : '';
            io.out(`${key.kid}  ${key.state}${until}`);
          }
          io.out('Run "keys rotate" again after a day or more: the pending key then starts signing.');
        }
        break;
      }
    }
    return 0;
  } catch (error) {
    if (error instanceof OpsUsageError) {
      io.err(error.message);
      return 2;
    }
    if (
      error instanceof ClientRefused ||
      (error instanceof Error && /^(InvalidKeySet|KeySetMissing)$/.test(error.name))
    ) {
      io.err(error.message);
      return 1;
    }
    const { name = 'Error', message = String(error) } = (error ?? {}) as { name?: string; message?: string };
    io.err(`The command failed: ${name}: ${message}`);
    return 1;
  } finally {
    ops?.close();
  }
}
