// The credential request form, defined once: its fields, their limits and what each may contain,
// the check the page runs as you type and the API runs again, and the reference people quote.
// No Node or AWS imports: the browser bundle includes this file.

export const credentialRequestLimits = {
  fullName: { min: 2, max: 100 },
  company: { min: 2, max: 100 },
  email: { min: 6, max: 254 },
  phone: { min: 6, max: 30 },
  reason: { min: 10, max: 500 },
} as const;

export type CredentialRequestField = keyof typeof credentialRequestLimits;

/** What the page and the API check; every value is plain text a person typed. */
export interface CredentialRequestFields {
  readonly fullName: string;
  readonly company: string;
  readonly email: string;
  readonly phone?: string | undefined;
  readonly reason: string;
}

export type CredentialRequestIssue =
  | 'required'
  | 'too_short'
  | 'too_long'
  | 'characters'
  | 'email_format'
  | 'phone_format';

// Names: letters (any script) with spaces and the punctuation names really use. No digits, no @,
// no colon or slash, so a "name" cannot carry a link or an address into an email.
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} .,'’-]*$/u;
// Companies also have digits and a few signs (3M, AT&T, Müller GmbH & Co. KG, Yahoo!).
const COMPANY = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} .,&'’()+!-]*$/u;
// Conservative on purpose: anything else cannot be an address we can reach (and cannot inject
// into a Cognito ListUsers filter either).
export const EMAIL_ADDRESS =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const PHONE = /^\+?[0-9(][0-9 ()./-]*[0-9]$/;
// Free text: line breaks allowed; other control characters, invisible format characters (bidi
// overrides) and markup are not.
const FREE_TEXT = /^(?:[^\p{Cc}\p{Cf}<>]|\n)*$/u;

/** Length as a person counts it: characters, not UTF-16 units. */
function length(value: string): number {
  return [...value].length;
}

/** Spaces collapsed and trimmed, Unicode in one form, so "Anna  Rossi " is "Anna Rossi". */
export function normaliseLine(value: string): string {
  return value
    .normalize('NFC')
    .replace(/[ \t\u00a0]+/g, ' ')
    .trim();
}

/** Free text keeps its line breaks (at most one empty line in a row) but loses trailing spaces. */
export function normaliseText(value: string): string {
  return value
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function normaliseEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** The fields as they are stored and shown: trimmed, collapsed, the email in lower case, no empty phone. */
export function normaliseCredentialRequest(fields: CredentialRequestFields): CredentialRequestFields {
  const phone = normaliseLine(fields.phone ?? '');
  return {
    fullName: normaliseLine(fields.fullName),
    company: normaliseLine(fields.company),
    email: normaliseEmail(fields.email),
    ...(phone ? { phone } : {}),
    reason: normaliseText(fields.reason),
  };
}

function checkLength(field: CredentialRequestField, value: string): CredentialRequestIssue | undefined {
  const { min, max } = credentialRequestLimits[field];
  if (value === '') return 'required';
  if (length(value) < min) return 'too_short';
  if (length(value) > max) return 'too_long';
  return undefined;
}

/**
 * The first problem of each field, after normalising; an empty result means the request is
 * acceptable. The page shows these next to the fields; the API refuses the request with them.
 */
export function checkCredentialRequest(
  raw: CredentialRequestFields,
): Partial<Record<CredentialRequestField, CredentialRequestIssue>> {
  const fields = normaliseCredentialRequest(raw);
  const issues: Partial<Record<CredentialRequestField, CredentialRequestIssue>> = {};
  const fullName = checkLength('fullName', fields.fullName) ?? (NAME.test(fields.fullName) ? undefined : 'characters');
  if (fullName) issues.fullName = fullName;
  const company = checkLength('company', fields.company) ?? (COMPANY.test(fields.company) ? undefined : 'characters');
  if (company) issues.company = company;
  const email =
    fields.email === ''
      ? 'required'
      : length(fields.email) > credentialRequestLimits.email.max
        ? 'too_long'
        : EMAIL_ADDRESS.test(fields.email)
          ? undefined
          : 'email_format';
  if (email) issues.email = email;
  if (fields.phone !== undefined) {
    const digits = fields.phone.replace(/\D/g, '').length;
    const phone =
      length(fields.phone) > credentialRequestLimits.phone.max
        ? 'too_long'
        : PHONE.test(fields.phone) && digits >= 6 && digits <= 15
          ? undefined
          : 'phone_format';
    if (phone) issues.phone = phone;
  }
  const reason = checkLength('reason', fields.reason) ?? (FREE_TEXT.test(fields.reason) ? undefined : 'characters');
  if (reason) issues.reason = reason;
  return issues;
}

/** The API's words for each problem (the pages have their own, in every language). */
export function issueText(field: CredentialRequestField, issue: CredentialRequestIssue): string {
  const { min, max } = credentialRequestLimits[field];
  switch (issue) {
    case 'required':
      return 'is required';
    case 'too_short':
      return `needs at least ${min} characters`;
    case 'too_long':
      return `has at most ${max} characters`;
    case 'characters':
      return field === 'reason'
        ? 'cannot contain < >, control or invisible characters'
        : field === 'fullName'
          ? "may contain letters, spaces and . , ' - only"
          : "may contain letters, digits, spaces and . , & ' ( ) + ! - only";
    case 'email_format':
      return 'must be an email address such as name@company.com';
    case 'phone_format':
      return 'must be a phone number with 6 to 15 digits, such as +39 02 1234 5678';
  }
}

// References: "CR-" and 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), in two
// groups, easy to read out on the phone. 40 random bits: not guessable, and they say nothing about
// how many requests there are.
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const REFERENCE_PATTERN = /^CR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/;

/** "cr 7kq4 m2xp", "CR7KQ4M2XP" or "7KQ4-M2XP" -> "CR-7KQ4-M2XP"; undefined when it cannot be one. */
export function normaliseReference(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  const body = compact.length === 10 && compact.startsWith('CR') ? compact.slice(2) : compact;
  const reference = `CR-${body.slice(0, 4)}-${body.slice(4)}`;
  return REFERENCE_PATTERN.test(reference) ? reference : undefined;
}
