// Refuses passwords that appear in breach corpora (ASVS 5.0 6.2.4), from zxcvbn-ts's list of the
// most common passwords, and passwords made of the portal's own words (6.2.11).
import { type PasswordContext, type PasswordRule, unmetPasswordRules } from '../definitions/password-policy';
import { commonPasswords as list } from './common-password-list';

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  // Only entries the length rule would not already refuse (common-password-list.ts); built on first use.
  common ??= new Set(list);
  return common;
}

/** Words every attacker tries first against this portal, normalised for comparison. */
function contextual(password: string, contextWords: readonly string[]): boolean {
  const squashed = password.toLowerCase().replace(/[^a-z0-9]/g, '');
  const stripped = squashed.replace(/\d+$/, '');
  return contextWords
    .map((w) => w.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter((w) => w.length >= 3)
    .some((w) => stripped === w || stripped === `${w}${w}` || squashed === w);
}

export function isCommonPassword(password: string, contextWords: readonly string[] = []): boolean {
  return commonPasswords().has(password.toLowerCase()) || contextual(password, contextWords);
}

/** The shared rules plus the server-only common-password check. */
export function unmetPasswordRulesOnServer(
  password: string,
  context: string | PasswordContext,
  contextWords: readonly string[] = [],
): PasswordRule[] {
  const who: PasswordContext = typeof context === 'string' ? { username: context } : context;
  const unmet = unmetPasswordRules(password, who);
  if (isCommonPassword(password, [who.username ?? '', ...contextWords])) unmet.push('not_common');
  return unmet;
}
