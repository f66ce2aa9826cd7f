import { defaultLanguage, languages, pickLanguage } from '../../../lambdas/definitions/languages';

describe('picking a language', () => {
  const other = languages.find((l) => l !== defaultLanguage);

  it('prefers an explicit supported choice over the browser header', () => {
    for (const language of languages) expect(pickLanguage(language, 'xx')).toBe(language);
  });

  it('falls back to the default for unknown or missing choices', () => {
    expect(pickLanguage('xx', undefined)).toBe(defaultLanguage);
    expect(pickLanguage(undefined, 'de-DE,fr;q=0.8')).toBe(defaultLanguage);
    expect(pickLanguage(undefined, '')).toBe(defaultLanguage);
    expect(pickLanguage(undefined, ';;;,,q=abc')).toBe(defaultLanguage);
  });

  it('follows Accept-Language q-values, ignoring regions and q=0', () => {
    expect(pickLanguage(undefined, `de;q=0.9, ${defaultLanguage}-GB;q=0.5`)).toBe(defaultLanguage);
    if (other) {
      expect(pickLanguage(undefined, `${defaultLanguage};q=0.4, ${other}-XX;q=0.8`)).toBe(other);
      expect(pickLanguage(undefined, `${other};q=0, ${defaultLanguage};q=0.1`)).toBe(defaultLanguage);
    }
  });
});
