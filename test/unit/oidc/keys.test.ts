// The provider's key set: rotation publishes a key before it signs and keeps a retired key until
// what it signed has expired; a damaged secret is refused with what to do.
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { keyCacheSeconds, longestSignedLifetimeSeconds } from '../../../lambdas/definitions/oidc';
import { InvalidKeySet, newKeySet, parseKeySet, providerJwks, rotateKeySet } from '../../../lambdas/oidc/keys';

const T0 = Date.UTC(2026, 11, 1);
const DAY = 86_400_000;

const states = (set: ReturnType<typeof newKeySet>) => set.keys.map((key) => key.state);

describe('provider keys', () => {
  it('starts with one active ES256 key whose private and public halves match', () => {
    const set = newKeySet(T0);
    expect(states(set)).toEqual(['active']);
    const [jwk] = providerJwks(set).keys;
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    const data = Buffer.from('signed by the provider');
    const signature = sign('sha256', data, createPrivateKey({ key: jwk as never, format: 'jwk' }));
    const { d: _private, ...publicJwk } = jwk as Record<string, string>;
    expect(verify('sha256', data, createPublicKey({ key: publicJwk as never, format: 'jwk' }), signature)).toBe(true);
  });

  it('a rotation publishes a new key without letting it sign yet', () => {
    const start = newKeySet(T0);
    const once = rotateKeySet(start, T0 + DAY);
    expect(states(once)).toEqual(['active', 'pending']);
    expect(once.keys[0]?.kid).toBe(start.keys[0]?.kid);
    // oidc-provider signs with the first key of the algorithm: the active one.
    expect(providerJwks(once).keys[0]?.kid).toBe(start.keys[0]?.kid);
  });

  it('the next rotation makes the published key sign and keeps the old one until its tokens expire', () => {
    const once = rotateKeySet(newKeySet(T0), T0 + DAY);
    const pending = once.keys.find((key) => key.state === 'pending');
    const twice = rotateKeySet(once, T0 + 2 * DAY);
    expect(states(twice).sort()).toEqual(['active', 'pending', 'retiring']);
    expect(twice.keys.find((key) => key.state === 'active')?.kid).toBe(pending?.kid);
    expect(providerJwks(twice).keys[0]?.kid).toBe(pending?.kid);
    const retiring = twice.keys.find((key) => key.state === 'retiring');
    expect(retiring?.retireAfter).toBe(T0 + 2 * DAY + (longestSignedLifetimeSeconds + 2 * keyCacheSeconds) * 1000);
    // Still published right before that moment, gone at the rotation after it.
    const early = rotateKeySet(twice, (retiring?.retireAfter ?? 0) - 1);
    expect(early.keys.some((key) => key.kid === retiring?.kid)).toBe(true);
    const late = rotateKeySet(twice, (retiring?.retireAfter ?? 0) + 1);
    expect(late.keys.some((key) => key.kid === retiring?.kid)).toBe(false);
  });

  it('rotates the cookie keys too, keeping the previous one to verify', () => {
    const start = newKeySet(T0);
    const once = rotateKeySet(start, T0 + DAY);
    expect(once.cookieKeys).toHaveLength(2);
    expect(once.cookieKeys[1]).toBe(start.cookieKeys[0]);
    expect(rotateKeySet(once, T0 + 2 * DAY).cookieKeys).toHaveLength(2);
  });

  it.each([
    ['not JSON', 'abc', /not JSON/],
    ['no keys', JSON.stringify({ version: 1, cookieKeys: ['x'.repeat(43)], keys: [] }), /invalid at keys/],
    [
      'no active key',
      JSON.stringify({ ...newKeySet(T0), keys: newKeySet(T0).keys.map((k) => ({ ...k, state: 'pending' })) }),
      /no active key/,
    ],
  ])('refuses a secret with %s, saying what to do', (_case, text, message) => {
    expect(() => parseKeySet(text)).toThrow(InvalidKeySet);
    expect(() => parseKeySet(text)).toThrow(message);
  });

  it('reads back what it wrote', () => {
    const set = rotateKeySet(newKeySet(T0), T0 + DAY);
    expect(parseKeySet(JSON.stringify(set))).toEqual(set);
  });
});
