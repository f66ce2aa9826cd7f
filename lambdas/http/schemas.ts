// Request bodies, validated strictly: unknown fields, wrong types and oversize values are refused
// with a message naming the field.

import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import * as z from 'zod/mini';
import { languages } from '../definitions/languages';
import { passkeyRules } from '../definitions/passkeys';
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

/** A base64url field of a WebAuthn answer, as the browser (SimpleWebAuthn) encodes it. */
const base64url = (what: string, max: number) =>
  z
    .string({ error: `${what} is missing` })
    .check(
      z.minLength(1, `${what} is missing`),
      z.maxLength(max, `${what} is too long`),
      z.regex(/^[A-Za-z0-9_-]+$/, `${what} must be base64url`),
    );

const credentialFields = {
  id: base64url('the credential id', 1366),
  rawId: base64url('the raw credential id', 1366),
  type: z.literal('public-key', 'the credential type must be "public-key"'),
  clientExtensionResults: z.optional(z.record(z.string(), z.unknown())),
  authenticatorAttachment: z.optional(z.enum(['platform', 'cross-platform'])),
};

/** The browser's answer to a passkey sign-in (AuthenticationResponseJSON); unknown fields are dropped. */
export const passkeyAssertionField = z.object({
  ...credentialFields,
  response: z.object({
    clientDataJSON: base64url('the client data', 4096),
    authenticatorData: base64url('the authenticator data', 4096),
    signature: base64url('the signature', 2048),
    userHandle: z.optional(base64url('the user handle', 128)),
  }),
});

/** The browser's answer to a passkey registration (RegistrationResponseJSON); unknown fields are dropped. */
export const passkeyAttestationField = z.object({
  ...credentialFields,
  response: z.object({
    clientDataJSON: base64url('the client data', 4096),
    attestationObject: base64url('the attestation object', 12_000),
    transports: z.optional(z.array(z.string().check(z.maxLength(32))).check(z.maxLength(8))),
    authenticatorData: z.optional(base64url('the authenticator data', 4096)),
    publicKey: z.optional(base64url('the public key', 2048)),
    publicKeyAlgorithm: z.optional(z.number()),
  }),
});

export const secondFactorSchema = z.union(
  [
    z.strictObject({ method: z.enum(['totp', 'recovery']), code: codeField }),
    z.strictObject({ method: z.literal('passkey'), response: passkeyAssertionField }),
  ],
  { error: 'send {"method": "totp" or "recovery", "code": "..."}, or {"method": "passkey", "response": {...}}' },
);

export const passkeySignInOptionsSchema = z.strictObject({
  secondStep: z.optional(z.boolean('secondStep must be true or false')),
});

export const passkeySignInSchema = z.strictObject({ response: passkeyAssertionField });

/**
 * The answers as the library types them: the schemas above checked their shape and sizes; the
 * library checks what they say (and the extension results, which it reads only when asked).
 */
export type PasskeyAssertion = AuthenticationResponseJSON;
export type PasskeyAttestation = RegistrationResponseJSON;
export const asAssertion = (response: z.infer<typeof passkeyAssertionField>) =>
  ({ clientExtensionResults: {}, ...response }) as PasskeyAssertion;
export const asAttestation = (response: z.infer<typeof passkeyAttestationField>) =>
  ({ clientExtensionResults: {}, ...response }) as PasskeyAttestation;

// Control characters and markup never belong in a passkey's name (it is shown and emailed).
export const passkeyNameField = z
  .string({ error: 'name the passkey' })
  .check(
    z.trim(),
    z.minLength(1, 'name the passkey, for example "Work laptop"'),
    z.maxLength(passkeyRules.nameMaxLength, `a passkey's name has at most ${passkeyRules.nameMaxLength} characters`),
    z.regex(SAFE_TEXT, "a passkey's name cannot contain line breaks, quotes or < >"),
  );

export const addPasskeySchema = z.strictObject({ name: passkeyNameField, response: passkeyAttestationField });

export const removePasskeySchema = z.strictObject({ id: base64url('the passkey id', 1366) });

export const totpCodeSchema = z.strictObject({ code: codeField });

/** Actions without fields still send JSON (`{}`): a cross-site form cannot, and a preflight guards fetch. */
export const emptySchema = z.strictObject({}, { error: 'send an empty JSON object: {}' });
