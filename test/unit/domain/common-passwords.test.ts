import { isCommonPassword, unmetPasswordRulesOnServer } from '../../../lambdas/domain/common-passwords';

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
