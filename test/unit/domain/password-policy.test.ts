import { applicableRules, passwordPolicy, unmetPasswordRules } from '../../../lambdas/definitions/password-policy';
import { newTemporaryPassword } from '../../../lambdas/domain/secrets';

describe('password policy', () => {
  it('accepts a password that meets every rule', () => {
    expect(unmetPasswordRules('Correct-Horse-42', 'demo')).toEqual([]);
  });

  it('names every rule a weak password breaks', () => {
    expect(unmetPasswordRules('short')).toEqual(['min_length']);
    expect(unmetPasswordRules(`short${' '.repeat(3)}`)).toEqual(['min_length', 'no_edge_spaces']);
  });

  it('asks for length, not composition (ASVS 5.0 6.2.5): any characters will do', () => {
    for (const password of ['correct horse battery', 'ALLUPPERCASEWORDS', 'ünïcödé pässwörd', '12345678901234567']) {
      expect(unmetPasswordRules(password)).toEqual([]);
    }
  });

  it('still names composition rules when a stricter policy asks for them', () => {
    const strict = { ...passwordPolicy, requireUppercase: true, requireDigits: true };
    expect(unmetPasswordRules('only lowercase here', undefined, strict)).toEqual(['uppercase', 'digit']);
  });

  it('refuses the username as password, whatever the case', () => {
    expect(unmetPasswordRules('Demo.User.2026', 'demo.user.2026')).toContain('no_context_words');
  });

  describe('context words (ASVS 5.0 6.2.11): username, email local part, portal name', () => {
    const context = { username: 'jane.doe', email: 'j.doe@customer.example', portalName: 'IMS SUPPORT' };

    it.each([
      ['IMS SUPPORT jane.doe', 'both, as the first-time user typed it'],
      ['my-ims support-key-77', 'the portal name, lower case, with its space'],
      ['imssupport rocks today', 'the portal name without its space'],
      ['correct JANE.DOE horse', 'the username, upper case'],
      ['Jane. Doe battery staple', 'the username with a space inside'],
      ['horse-J.Doe-battery', 'the email local part'],
    ])('refuses %j (%s)', (password) => {
      expect(unmetPasswordRules(password, context)).toEqual(['no_context_words']);
    });

    it('accepts a passphrase with none of them, and ignores context words shorter than 3 characters', () => {
      expect(unmetPasswordRules('correct horse battery staple', context)).toEqual([]);
      expect(unmetPasswordRules('correct horse battery staple', { username: 'co', email: 'ho@x.example' })).toEqual([]);
    });

    it('lists the rule from the start, with the server-only common-password rule', () => {
      expect(applicableRules()).toEqual(
        expect.arrayContaining(['min_length', 'no_context_words', 'no_edge_spaces', 'max_length', 'not_common']),
      );
    });
  });

  it('refuses leading or trailing spaces, as Cognito does', () => {
    expect(unmetPasswordRules(' Correct-Horse-42')).toEqual(['no_edge_spaces']);
  });

  it('counts characters, not UTF-16 units, for the length rules', () => {
    const emoji = '😀'.repeat(passwordPolicy.minLength - 3);
    expect(unmetPasswordRules(`Aa1${emoji}`)).toEqual([]);
  });

  it('refuses a password over the maximum length', () => {
    expect(unmetPasswordRules(`Aa1${'x'.repeat(passwordPolicy.maxLength)}`)).toEqual(['max_length']);
  });

  it('lists a symbol rule only when the policy asks for one', () => {
    expect(applicableRules({ ...passwordPolicy, requireSymbols: false })).not.toContain('symbol');
    expect(applicableRules({ ...passwordPolicy, requireSymbols: true })).toContain('symbol');
  });

  it('generates temporary passwords that always meet the policy, even a stricter one', () => {
    const strict = { ...passwordPolicy, requireSymbols: true, minLength: 20 };
    for (let i = 0; i < 500; i++) {
      expect(unmetPasswordRules(newTemporaryPassword())).toEqual([]);
      expect(unmetPasswordRules(newTemporaryPassword(strict), undefined, strict)).toEqual([]);
    }
  });

  it('generates temporary passwords without look-alike characters and without repeats across calls', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const password = newTemporaryPassword();
      expect(password).not.toMatch(/[0O1lI]/);
      seen.add(password);
    }
    expect(seen.size).toBe(200);
  });
});
