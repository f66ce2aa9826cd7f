// The one message catalogue: every key in every language, the same placeholders, every text the
// pages and the script use, and a translation for every error code the API can answer.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { languages } from '../../../lambdas/definitions/languages';
import { applicableRules } from '../../../lambdas/definitions/password-policy';
import { pages } from '../../../lambdas/definitions/routes';
import { problems } from '../../../lambdas/http/problems';
import { catalogue, format } from '../../../static-site/src/messages';

const SITE = join(__dirname, '..', '..', '..', 'static-site');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const sections = ['page', 'script'] as const;

describe('the message catalogue', () => {
  const [reference, ...others] = languages;

  it.each(others)('has every key of the reference language in %s, and no other', (language) => {
    for (const section of sections) {
      expect(Object.keys(catalogue[language][section]).sort()).toEqual(
        Object.keys(catalogue[reference][section]).sort(),
      );
    }
  });

  it.each(languages)('has a non-empty text with the reference placeholders for every key in %s', (language) => {
    for (const section of sections) {
      const texts = catalogue[language][section] as Record<string, string>;
      const base = catalogue[reference][section] as Record<string, string>;
      for (const [key, text] of Object.entries(base)) {
        expect({ key, text: texts[key]?.trim() || '(missing)' }).not.toEqual({ key, text: '(missing)' });
        expect({ key, placeholders: placeholders(texts[key] ?? '') }).toEqual({
          key,
          placeholders: placeholders(text),
        });
      }
    }
  });

  it.each(others)('translates the page texts into %s rather than copying them', (language) => {
    // Words that are the same in both languages.
    const same = new Set(['login.password']);
    const copied = Object.entries(catalogue[reference].page)
      .filter(([key, text]) => !same.has(key) && (catalogue[language].page as Record<string, string>)[key] === text)
      .map(([key]) => key);
    expect(copied).toEqual([]);
  });

  it('has every text the page sources and the layout use', () => {
    const sources = ['layout.html', ...readdirSync(join(SITE, 'pages')).map((f) => join('pages', f))];
    const used = new Set<string>();
    for (const file of sources) {
      for (const match of readFileSync(join(SITE, file), 'utf8').matchAll(/\{\{t\.([\w.-]+)\}\}/g)) {
        used.add(match[1] as string);
      }
    }
    expect(used.size).toBeGreaterThan(40);
    const missing = [...used].filter((key) => !(key in catalogue[reference].page));
    expect(missing).toEqual([]);
    for (const id of Object.keys(pages)) expect(catalogue[reference].page).toHaveProperty([`${id}.title`]);
  });

  it('has every script text the page script uses', () => {
    const used = new Set<string>();
    for (const file of readdirSync(join(SITE, 'src'))) {
      for (const match of readFileSync(join(SITE, 'src', file), 'utf8').matchAll(/text\['([\w.-]+)'\]/g)) {
        used.add(match[1] as string);
      }
    }
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((key) => !(key in catalogue[reference].script))).toEqual([]);
  });

  it('translates every error code the API can answer, and every password rule', () => {
    const script = catalogue[reference].script as Record<string, string>;
    expect(Object.keys(problems).filter((code) => !(`error.${code}` in script))).toEqual([]);
    expect(applicableRules().filter((rule) => !(`rule.${rule}` in script))).toEqual([]);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(format('At least {min} characters', { min: 12 })).toBe('At least 12 characters');
    expect(format('Hello {name}', {})).toBe('Hello {name}');
  });
});
