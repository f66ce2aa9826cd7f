// Request bodies, validated strictly: unknown fields, wrong types and oversize values are refused
// with a message naming the field.

import * as z from 'zod/mini';
import { languages } from '../definitions/languages';
import { passwordPolicy } from '../definitions/password-policy';
import './zod-messages';

// Control characters (CR/LF included) and markup never belong in a login.
const SAFE_TEXT = /^[^\p{Cc}\p{Cf}<>"\\]*$/u;

export const loginField = z
  .string({ error: 'enter your username or email address' })
  .check(
    z.trim(),
    z.minLength(1, 'enter your username or email address'),
    z.maxLength(254, 'a username or email address has at most 254 characters'),
    z.regex(SAFE_TEXT, 'a username or email address cannot contain line breaks, quotes or < >'),
  );

export const tokenField = z
  .string({ error: 'the link token is missing' })
  .check(z.minLength(1, 'the link token is missing'), z.maxLength(256, 'the link token is too long'));

/** The page's language, so the email speaks it; without it, Accept-Language decides. */
export const languageField = z.enum(languages, { error: `the language must be one of: ${languages.join(', ')}` });

export const resetRequestSchema = z.union(
  [
    z.strictObject({ login: loginField, language: z.optional(languageField) }),
    z.strictObject({ token: tokenField, language: z.optional(languageField) }),
  ],
  { error: 'send {"login": "<username or email>"}, or {"token": "<token of an old link>"}' },
);

export const confirmResetSchema = z.strictObject({ token: tokenField, language: z.optional(languageField) });

export const signInSchema = z.strictObject({
  username: loginField,
  password: z
    .string({ error: 'enter your password' })
    .check(z.minLength(1, 'enter your password'), z.maxLength(256, 'a password has at most 256 characters')),
});

export const newPasswordSchema = z.strictObject({
  newPassword: z.string({ error: 'enter a new password' }).check(
    z.minLength(1, 'enter a new password'),
    // Longer than the policy allows is reported by the policy check, with the rule's words.
    z.maxLength(passwordPolicy.maxLength * 4, `a password has at most ${passwordPolicy.maxLength} characters`),
  ),
});

const codeField = z
  .string({ error: 'enter the code' })
  .check(
    z.trim(),
    z.minLength(1, 'enter the code'),
    z.maxLength(32, 'a code has at most 32 characters'),
    z.regex(/^[A-Za-z0-9 -]+$/, 'a code has only letters, digits, spaces and dashes'),
  );

export const secondFactorSchema = z.strictObject({
  method: z.enum(['totp', 'recovery'], { error: 'the method must be "totp" or "recovery"' }),
  code: codeField,
});

export const totpCodeSchema = z.strictObject({ code: codeField });

/** Actions without fields still send JSON (`{}`): a cross-site form cannot, and a preflight guards fetch. */
export const emptySchema = z.strictObject({}, { error: 'send an empty JSON object: {}' });
