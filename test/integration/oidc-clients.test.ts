// Registering tools with the ops CLI against the running local stack: the registered tool signs a
// person in; a rotated secret replaces the old one; a removed tool can sign no one in; keys rotate.
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as oidc from 'openid-client';
import { runOps } from '../../ops/cli';
import { readLocalSettings } from '../../ops/settings';
import { JarBrowser, type ReceivedLogout, RP_CALLBACK, type TestClient } from '../support/oidc-relying-party';
import { baseUrl, newUser } from './helpers';
import { configFor, signInThroughPages, startSignIn } from './oidc-helpers';

jest.setTimeout(60_000);

const settings = () => readLocalSettings(String(process.env.SUPPORT_ACCESS_OPS_FILE));

async function ops(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runOps(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { settings: settings() });
  return { code, out, err };
}

function field(lines: string[], label: string): string {
  const line = lines.find((l) => l.startsWith(`${label}:`));
  return String(line?.slice(line.indexOf(':') + 1).trim());
}

async function signInWith(
  client: { client_id: string; client_secret: string },
  person?: { username: string; password: string },
) {
  const config = await configFor({
    ...client,
    client_name: 'x',
    redirect_uris: [RP_CALLBACK],
    post_logout_redirect_uris: [],
  });
  const started = await startSignIn(config);
  const { callback } = await signInThroughPages(started, person ?? (await newUser('ops-tool')));
  return oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: started.verifier,
    expectedState: started.state,
    expectedNonce: started.nonce,
  });
}

describe('ops: clients', () => {
  it('adds a tool that can sign people in, prints the secret once, lists and shows it', async () => {
    const added = await ops(
      'clients',
      'add',
      '--name',
      'Zammad Helpdesk',
      '--redirect-uri',
      RP_CALLBACK,
      '--home-url',
      'https://helpdesk.example.com/',
    );
    expect(added.code).toBe(0);
    const clientId = field(added.out, 'Client id');
    const clientSecret = field(added.out, 'Client secret');
    expect(clientId).toMatch(/^zammad-helpdesk-[0-9a-f]{12}$/);
    expect(clientSecret.length).toBeGreaterThanOrEqual(43);
    expect(field(added.out, 'Discovery URL')).toBe(`${baseUrl()}/.well-known/openid-configuration`);

    const tokens = await signInWith({ client_id: clientId, client_secret: clientSecret });
    expect(tokens.claims()?.aud).toBe(clientId);

    const list = await ops('clients');
    expect(list.out.some((line) => line.startsWith(clientId) && line.endsWith('Zammad Helpdesk'))).toBe(true);
    const shown = await ops('clients', 'show', clientId);
    expect(shown.out.join('\n')).not.toContain(clientSecret);
    expect(field(shown.out, 'Home URL')).toBe('https://helpdesk.example.com/');
    // The signed-in page offers it.
    const tools = (await (await fetch(`${baseUrl()}/oidc/tools`)).json()) as { tools: { name: string; url: string }[] };
    expect(tools.tools).toContainEqual({ name: 'Zammad Helpdesk', url: 'https://helpdesk.example.com/' });
    expect(JSON.stringify(tools)).not.toContain(clientSecret);
  });

  it('rotate-secret: the new secret works, the old one is refused', async () => {
    const added = await ops('clients', 'add', '--name', 'osTicket', '--redirect-uri', RP_CALLBACK);
    const clientId = field(added.out, 'Client id');
    const oldSecret = field(added.out, 'Client secret');
    const rotated = await ops('clients', 'rotate-secret', clientId);
    expect(rotated.code).toBe(0);
    const newSecret = field(rotated.out, 'Client secret');
    expect(newSecret).not.toBe(oldSecret);
    await expect(signInWith({ client_id: clientId, client_secret: oldSecret })).rejects.toMatchObject({
      error: 'invalid_client',
    });
    const tokens = await signInWith({ client_id: clientId, client_secret: newSecret });
    expect(tokens.access_token).toEqual(expect.any(String));
  });

  it('remove: the tool can sign no one in any more', async () => {
    const added = await ops('clients', 'add', '--name', 'GLPI', '--redirect-uri', RP_CALLBACK);
    const clientId = field(added.out, 'Client id');
    expect((await ops('clients', 'remove', clientId)).code).toBe(0);
    const config = await configFor({
      client_id: clientId,
      client_secret: field(added.out, 'Client secret'),
      client_name: 'GLPI',
      redirect_uris: [RP_CALLBACK],
      post_logout_redirect_uris: [],
    });
    const { url } = await startSignIn(config);
    const hop = await new JarBrowser().request(url.href);
    expect(hop.status).toBe(400);
    expect(hop.location).toBeUndefined();
    expect((await ops('clients', 'show', clientId)).code).toBe(1);
  });

  it('refuses bad input and changes nothing', async () => {
    const before = (await ops('clients', '--json')).out.join('');
    for (const argv of [
      ['clients', 'add', '--name', 'No URI'],
      ['clients', 'add', '--redirect-uri', RP_CALLBACK],
      ['clients', 'add', '--name', 'Plain http', '--redirect-uri', 'http://tool.example.com/cb'],
      ['clients', 'add', '--name', 'Fragment', '--redirect-uri', 'https://tool.example.com/cb#x'],
      ['clients', 'show'],
      ['clients', 'fly'],
    ]) {
      const result = await ops(...argv);
      expect(result.code).not.toBe(0);
      expect(result.err.join(' ')).not.toBe('');
    }
    expect((await ops('clients', '--json')).out.join('')).toBe(before);
  });
});

describe('ops: disable', () => {
  it('signs the person out of the tools they used (back-channel logout) and their tokens stop working', async () => {
    const tool = (JSON.parse(String(process.env.SUPPORT_ACCESS_OIDC_CLIENTS)) as TestClient[])[0] as TestClient;
    const person = await newUser('disabled');
    const tokens = await signInWith(tool, person);
    const sub = String(tokens.claims()?.sub);
    const before = Date.now();
    const disabled = await ops('disable', person.username);
    expect(disabled.code).toBe(0);
    expect(disabled.out.join(' ')).toContain(`Signed out of: ${tool.client_id}.`);
    const received = (await (await fetch(String(process.env.SUPPORT_ACCESS_LOGOUT_SINK))).json()) as ReceivedLogout[];
    const mine = received.filter((entry) => entry.clientId === tool.client_id && entry.at >= before);
    const subs = mine.map(
      (entry) => JSON.parse(Buffer.from(String(entry.logoutToken.split('.')[1]), 'base64url').toString()).sub,
    );
    expect(subs).toContain(sub);
    const config = await configFor(tool);
    await expect(oidc.fetchUserInfo(config, tokens.access_token, sub)).rejects.toThrow();
  });
});

async function keySetText(): Promise<string> {
  const { local, oidcKeysSecret } = settings();
  const client = new SecretsManagerClient({
    endpoint: local?.secretsmanager,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const stored = await client.send(new GetSecretValueCommand({ SecretId: oidcKeysSecret }));
  client.destroy();
  return String(stored.SecretString);
}

describe('ops: keys', () => {
  it('init leaves existing keys alone; rotate publishes a pending key, then makes it sign and retires the old one', async () => {
    const original = await keySetText();
    const init = await ops('keys', 'init');
    expect(init.code).toBe(0);
    expect(init.out.join(' ')).toMatch(/already has keys/);
    const first = await ops('keys', 'rotate', '--json');
    const afterFirst = JSON.parse(first.out.join('\n')) as { kid: string; state: string }[];
    expect(afterFirst.map((k) => k.state)).toEqual(['active', 'pending']);
    const second = await ops('keys', 'rotate', '--json');
    const afterSecond = JSON.parse(second.out.join('\n')) as { kid: string; state: string; retireAfter?: number }[];
    expect(afterSecond.find((k) => k.kid === afterFirst[1]?.kid)?.state).toBe('active');
    expect(afterSecond.find((k) => k.kid === afterFirst[0]?.kid)).toMatchObject({ state: 'retiring' });
    expect(afterSecond.filter((k) => k.state === 'pending')).toHaveLength(1);
    // Stored, private parts and all, in the secret the provider reads.
    const { local, oidcKeysSecret } = settings();
    const client = new SecretsManagerClient({
      endpoint: local?.secretsmanager,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const stored = await client.send(new GetSecretValueCommand({ SecretId: oidcKeysSecret }));
    expect(JSON.parse(String(stored.SecretString)).keys).toHaveLength(3);
    // Two rotations inside the provider's key cache time is what an operator must not do (the
    // provider's JWKS would lag the signing key for up to keyCacheSeconds); put the shared stack's
    // keys back as they were, so other files' tokens verify.
    await client.send(new PutSecretValueCommand({ SecretId: oidcKeysSecret, SecretString: original }));
    client.destroy();
  });
});
