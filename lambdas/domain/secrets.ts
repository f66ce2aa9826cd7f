// Random secrets and their stored form. Tokens and session ids are 32 random bytes (256 bits),
// base64url; only their SHA-256 is stored, so a leaked table grants nothing.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { COGNITO_SYMBOLS, type PasswordPolicy, passwordPolicy } from '../definitions/password-policy';

const TOKEN_BYTES = 32;
/** 32 bytes in base64url without padding is always 43 characters. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function isWellFormedToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Temporary passwords are generated with > 100 bits of entropy, so a fast hash is enough to keep
 * them out of the table (a slow KDF protects low-entropy secrets, which these are not).
 */
export function hashTemporaryPassword(username: string, password: string): string {
  return createHash('sha256').update(`${username}\u0000${password}`, 'utf8').digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

// No look-alikes (0/O, 1/l/I), so a password copied by eye from an email still works.
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
// Symbols that survive copy and paste from an email without being mistaken for punctuation.
const SYMBOLS = [...'#%+=@'].filter((c) => COGNITO_SYMBOLS.includes(c)).join('');

function pick(alphabet: string): string {
  return alphabet.charAt(randomInt(alphabet.length));
}

/**
 * A temporary password that meets the policy: at least one character of every required class, the
 * rest drawn from all of them, shuffled with a CSPRNG. 18 characters from 61 symbols is > 100 bits.
 */
export function newTemporaryPassword(policy: PasswordPolicy = passwordPolicy): string {
  const length = Math.max(18, policy.minLength);
  const classes = [LOWER, UPPER, DIGITS];
  if (policy.requireSymbols) classes.push(SYMBOLS);
  const all = classes.join('');
  const chars = classes.map(pick);
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}
