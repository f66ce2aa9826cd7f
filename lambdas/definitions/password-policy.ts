// The password policy, defined once: the Cognito user pool, the API's checks, the generator of
// temporary passwords and the page's live checklist all read it. No Node or AWS imports here,
// because the browser bundle includes this file.

export interface PasswordPolicy {
  readonly minLength: number;
  readonly maxLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireDigits: boolean;
  readonly requireSymbols: boolean;
}

/**
 * Length over composition, as ASVS 5.0 (6.2.1, 6.2.5, 6.2.9) and NIST SP 800-63B ask: at least 12
 * characters, any characters, up to 128; no "must contain a digit" rules, which push people to
 * Password1!. Common passwords are refused on the server (lambdas/domain/common-passwords.ts).
 */
export const passwordPolicy: PasswordPolicy = {
  minLength: 12,
  // Cognito accepts up to 256; a long passphrase is welcome, a megabyte is not.
  maxLength: 128,
  requireLowercase: false,
  requireUppercase: false,
  requireDigits: false,
  requireSymbols: false,
};

/** The symbols Cognito counts as "special characters". */
export const COGNITO_SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-';

export type PasswordRule =
  | 'min_length'
  | 'max_length'
  | 'lowercase'
  | 'uppercase'
  | 'digit'
  | 'symbol'
  | 'not_username'
  | 'no_edge_spaces'
  /** Checked on the server only: the list is too large for the page. */
  | 'not_common';

export const passwordRuleText: Record<PasswordRule, string> = {
  min_length: `At least ${passwordPolicy.minLength} characters`,
  max_length: `At most ${passwordPolicy.maxLength} characters`,
  lowercase: 'A lowercase letter (a-z)',
  uppercase: 'An uppercase letter (A-Z)',
  digit: 'A digit (0-9)',
  symbol: 'A symbol such as ! @ # $ %',
  not_username: 'Not the same as your username',
  no_edge_spaces: 'No space at the start or end',
  not_common: 'Not a commonly used password',
};

/**
 * Rules only the server can check, beyond the page's list: the page shows the API's text for them.
 * (user_pool_policy: Cognito refused a password our own rules accepted.)
 */
export const serverOnlyRules = { notTemporary: 'not_temporary', userPoolPolicy: 'user_pool_policy' } as const;

export const serverOnlyRuleText: Record<(typeof serverOnlyRules)[keyof typeof serverOnlyRules], string> = {
  not_temporary: 'Not the temporary password you were emailed: choose your own',
  user_pool_policy: 'The user pool refused this password',
};

/** The rules that apply under a policy, in the order the page lists them. */
export function applicableRules(policy: PasswordPolicy = passwordPolicy): PasswordRule[] {
  const rules: PasswordRule[] = ['min_length'];
  if (policy.requireLowercase) rules.push('lowercase');
  if (policy.requireUppercase) rules.push('uppercase');
  if (policy.requireDigits) rules.push('digit');
  if (policy.requireSymbols) rules.push('symbol');
  rules.push('not_username', 'no_edge_spaces', 'max_length');
  return rules;
}

function meets(rule: PasswordRule, password: string, policy: PasswordPolicy, username?: string): boolean {
  // Length counts characters as a person sees them, not UTF-16 units.
  const length = [...password].length;
  switch (rule) {
    case 'min_length':
      return length >= policy.minLength;
    case 'max_length':
      return length <= policy.maxLength;
    case 'lowercase':
      return /[a-z]/.test(password);
    case 'uppercase':
      return /[A-Z]/.test(password);
    case 'digit':
      return /[0-9]/.test(password);
    case 'symbol':
      return [...password].some((c) => COGNITO_SYMBOLS.includes(c));
    case 'not_username':
      return !username || password.toLowerCase() !== username.toLowerCase();
    case 'no_edge_spaces':
      // Cognito rejects leading and trailing spaces.
      return password === password.trim();
    case 'not_common':
      // Needs the server's list; see lambdas/domain/common-passwords.ts.
      return true;
  }
}

/** Every rule the password breaks; empty when it is acceptable. */
export function unmetPasswordRules(
  password: string,
  username?: string,
  policy: PasswordPolicy = passwordPolicy,
): PasswordRule[] {
  return applicableRules(policy).filter((rule) => !meets(rule, password, policy, username));
}
