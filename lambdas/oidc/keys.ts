// The provider's key set: ES256 signing keys and the keys that sign its cookies, kept as one JSON
// secret. Rotation is a pure step over that set, so the ops command and the tests share it:
// a new key is published (in the JWKS, not signing) one rotation before it signs, and a key that
// stopped signing stays published until everything it signed has expired.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import '../http/zod-messages';
import { keyCacheSeconds, longestSignedLifetimeSeconds, SIGNING_ALGORITHM } from '../definitions/oidc';

export type KeyState = 'active' | 'pending' | 'retiring';

const signingKeySchema = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().check(z.minLength(1)),
  y: z.string().check(z.minLength(1)),
  d: z.string().check(z.minLength(1)),
  kid: z.string().check(z.minLength(1)),
  state: z.enum(['active', 'pending', 'retiring']),
  createdAt: z.int(),
  /** For a retiring key: when it may be dropped (epoch ms). */
  retireAfter: z.optional(z.int()),
});

export type SigningKey = z.infer<typeof signingKeySchema>;

const keySetSchema = z.object({
  version: z.literal(1),
  /** Keys for the provider's signed cookies; the first signs, all verify. */
  cookieKeys: z.array(z.string().check(z.minLength(32))).check(z.minLength(1)),
  keys: z.array(signingKeySchema).check(z.minLength(1)),
});

export type KeySet = z.infer<typeof keySetSchema>;

export class InvalidKeySet extends Error {
  override readonly name = 'InvalidKeySet';
}

export function parseKeySet(text: string): KeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidKeySet('The provider key secret is not JSON: run `npm run ops -- keys init` to create it.');
  }
  const result = keySetSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InvalidKeySet(
      `The provider key secret is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message}. Restore it from its previous version.`,
    );
  }
  if (!result.data.keys.some((key) => key.state === 'active')) {
    throw new InvalidKeySet('The provider key secret has no active key. Restore it from its previous version.');
  }
  return result.data;
}

/** RFC 7638 thumbprint: a stable key id derived from the public key. */
function thumbprint(jwk: { crv: string; kty: string; x: string; y: string }): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

export function newSigningKey(state: KeyState, now: number): SigningKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' }) as { kty: 'EC'; crv: 'P-256'; x: string; y: string; d: string };
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, d: jwk.d, kid: thumbprint(jwk), state, createdAt: now };
}

export function newKeySet(now: number): KeySet {
  return { version: 1, cookieKeys: [randomBytes(32).toString('base64url')], keys: [newSigningKey('active', now)] };
}

/**
 * One rotation step: drop retiring keys whose tokens have all expired; the pending key (published
 * since the last step) starts signing and the active one retires; a new pending key is published.
 * The cookie keys rotate along: a new one signs, the previous one still verifies.
 */
export function rotateKeySet(set: KeySet, now: number): KeySet {
  const retireAfter = now + (longestSignedLifetimeSeconds + 2 * keyCacheSeconds) * 1000;
  const pending = set.keys.find((key) => key.state === 'pending');
  const kept = set.keys.filter((key) => key.state !== 'retiring' || (key.retireAfter ?? 0) > now);
  const keys = kept.map((key): SigningKey => {
    if (!pending) return key;
    if (key.kid === pending.kid) return { ...key, state: 'active' };
    if (key.state === 'active') return { ...key, state: 'retiring', retireAfter };
    return key;
  });
  return {
    version: 1,
    cookieKeys: [randomBytes(32).toString('base64url'), ...set.cookieKeys].slice(0, 2),
    keys: [...keys, newSigningKey('pending', now)],
  };
}

/**
 * The JWKS oidc-provider is given: the active key first (it signs with the first key of an
 * algorithm), then the others, which are published for verification only.
 */
export function providerJwks(set: KeySet): { keys: Record<string, string>[] } {
  const order: Record<KeyState, number> = { active: 0, pending: 1, retiring: 2 };
  return {
    keys: [...set.keys]
      .sort((a, b) => order[a.state] - order[b.state])
      .map(({ kty, crv, x, y, d, kid }) => ({ kty, crv, x, y, d, kid, alg: SIGNING_ALGORITHM, use: 'sig' })),
  };
}
