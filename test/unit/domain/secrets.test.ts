import { hashToken, isWellFormedToken, newToken } from '../../../lambdas/domain/secrets';

describe('tokens', () => {
  it('are 32 random bytes in base64url: 43 characters, URL-safe, never repeated', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(isWellFormedToken(token)).toBe(true);
    }
  });

  it('are stored as their SHA-256 in hex, never as themselves', () => {
    const token = newToken();
    const hash = hashToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
    expect(hashToken(token)).toBe(hash);
  });

  it.each(['', 'short', `${'a'.repeat(42)}=`, `${'a'.repeat(44)}`, `${'a'.repeat(42)}+`, `${'a'.repeat(42)}/`])(
    'rejects the malformed token %j',
    (value) => {
      expect(isWellFormedToken(value)).toBe(false);
    },
  );
});
