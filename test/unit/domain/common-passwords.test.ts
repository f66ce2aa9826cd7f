import { dictionary } from '@zxcvbn-ts/language-common';
import { passwordPolicy } from '../../../lambdas/definitions/password-policy';
import { COMMON_PASSWORDS_MIN_LENGTH, commonPasswords } from '../../../lambdas/domain/common-password-list';
import { isCommonPassword, unmetPasswordRulesOnServer } from '../../../lambdas/domain/common-passwords';

describe('the bundled common-password list', () => {
  it('was cut at the policy minimum length, so it holds every common password the policy could accept', () => {
    expect(COMMON_PASSWORDS_MIN_LENGTH).toBeLessThanOrEqual(passwordPolicy.minLength);
  });

  it("is exactly zxcvbn-ts's list from that length, lower-cased", () => {
    const expected = [
      ...new Set(
        (dictionary['passwords-common'] as string[])
          .filter((p) => p.length >= COMMON_PASSWORDS_MIN_LENGTH)
          .map((p) => p.toLowerCase()),
      ),
    ];
    expect(commonPasswords).toEqual(expected);
  });
});

describe('common passwords (server side)', () => {
  it.each(['qwerty123456', '1q2w3e4r5t6y', 'QAZWSXEDCRFV'])('refuses %s, a password from breach lists', (password) => {
    expect(isCommonPassword(password)).toBe(true);
    expect(unmetPasswordRulesOnServer(password, 'demo')).toEqual(['not_common']);
  });

  it('refuses passwords made of the portal name or the username', () => {
    const context = ['IMS SUPPORT', 'IMS', 'SUPPORT'];
    expect(unmetPasswordRulesOnServer('IMS-Support-2026', 'demo', context)).toEqual(['not_common']);
    expect(unmetPasswordRulesOnServer('supportsupport', 'demo', context)).toEqual(['not_common']);
    // Containing the username breaks the context-word rule as well.
    expect(unmetPasswordRulesOnServer('alice.rossi.1999', 'alice.rossi', context)).toEqual([
      'no_context_words',
      'not_common',
    ]);
  });

  it('accepts an uncommon passphrase', () => {
    expect(unmetPasswordRulesOnServer('Blue-Harbour-Lamp-27', 'demo', ['IMS SUPPORT'])).toEqual([]);
  });

  it('reports the shared rules too', () => {
    expect(unmetPasswordRulesOnServer('short', 'demo')).toEqual(['min_length']);
  });
});
