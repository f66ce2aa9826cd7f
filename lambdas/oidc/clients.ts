// The tools (relying parties) the provider knows: their metadata as oidc-provider takes it,
// validated here first so a bad registration is refused with a message naming the field.
import * as z from 'zod/mini';
import '../http/zod-messages';

const localHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https anywhere; plain http only on this machine (local tools and tests). */
export function isAllowedUri(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.hash) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && localHosts.has(url.hostname));
}

const uri = (what: string) =>
  z.string().check(
    z.refine(isAllowedUri, {
      message: `${what} must be an absolute https URL without a fragment (http only for localhost)`,
    }),
  );

/** Our extension: where a person goes to use the tool, listed on the signed-in page. */
export const HOME_URL = 'home_url';

export const clientMetadataSchema = z.looseObject({
  client_id: z.string().check(z.regex(/^[\w.~-]{3,128}$/, 'client_id must be 3-128 letters, digits or . _ ~ -')),
  client_secret: z.string().check(z.minLength(32, 'client_secret must be at least 32 characters')),
  client_name: z.optional(z.string().check(z.minLength(1), z.maxLength(80))),
  redirect_uris: z.array(uri('each redirect URI')).check(z.minLength(1, 'at least one redirect URI is required')),
  post_logout_redirect_uris: z.optional(z.array(uri('each post-logout redirect URI'))),
  backchannel_logout_uri: z.optional(uri('the back-channel logout URI')),
  backchannel_logout_session_required: z.optional(z.boolean()),
  [HOME_URL]: z.optional(uri('the home URL')),
  grant_types: z.optional(z.array(z.enum(['authorization_code', 'refresh_token']))),
});

export type ClientMetadataInput = z.infer<typeof clientMetadataSchema>;

export class InvalidClients extends Error {
  override readonly name = 'InvalidClients';
}

/** OIDC_CLIENTS: a JSON array of client metadata (the local runner and tests register tools this way). */
export function parseClients(raw: string | undefined, source = 'OIDC_CLIENTS'): ClientMetadataInput[] {
  if (!raw?.trim()) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidClients(`${source} must be a JSON array of client objects, got "${raw.slice(0, 60)}"`);
  }
  const result = z.array(clientMetadataSchema).safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InvalidClients(`${source} is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const ids = result.data.map((client) => client.client_id);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate) throw new InvalidClients(`${source} lists client_id "${duplicate}" twice`);
  return result.data;
}

/** What every client gets unless it says otherwise: code flow only, secret in the Basic header or the body. */
export function withDefaults(client: ClientMetadataInput): Record<string, unknown> {
  return {
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...client,
  };
}
