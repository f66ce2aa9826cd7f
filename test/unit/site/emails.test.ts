// The email templates in every language: the same data fields as the definitions, HTML that mail
// clients render (tables, inline styles, no remote images or scripts), a plain-text part, a dark
// mode, and the portal's name and colour from the template data.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EmailTemplateId, emailTemplates } from '../../../lambdas/definitions/email-templates';
import { languages } from '../../../lambdas/definitions/languages';
import { emailTemplateContents } from '../../../lib/email-template-files';

const EMAILS = join(__dirname, '..', '..', '..', 'lambdas', 'emails');
const fields = (text: string) => [...new Set([...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]))].sort();
const cases = languages.flatMap((language) =>
  (Object.keys(emailTemplates) as EmailTemplateId[]).map((id) => [language, id] as const),
);

/** What SES does with the template: {{field}} replaced, no escaping. */
function render(template: string, data: Record<string, unknown>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(data[name]));
}

/** The templates as SES gets them: the shared head put before each file (lib/email-template-files.ts). */
const contents = emailTemplateContents('test');
const htmlOf = (language: string, id: EmailTemplateId) =>
  contents.find((c) => c.language === language && c.id === id)?.html ?? '';

describe.each(cases)('the %s %s email', (language, id) => {
  const definition = emailTemplates[id];
  const html = htmlOf(language, id);
  const text = readFileSync(join(EMAILS, language, `${definition.id}.txt`), 'utf8');
  const english = htmlOf('en', id);

  it('uses only fields the template data has, the same ones in every language', () => {
    const known = Object.keys(definition.example);
    expect(fields(html).filter((f) => !known.includes(f as string))).toEqual([]);
    expect(fields(html)).toEqual(fields(english));
    expect(fields(text).filter((f) => !known.includes(f as string))).toEqual([]);
    expect(fields(definition.subject[language])).toEqual(['portalName']);
  });

  it('is a table layout with inline styles, in its language, with no remote image, style sheet or script', () => {
    expect(html).toMatch(new RegExp(`<html lang="${language}"`));
    expect(html).toMatch(/<table role="presentation"/);
    expect(html).not.toMatch(/<img|<script|<link|<iframe|url\(/i);
    expect(html).not.toMatch(/https?:\/\//);
    // Every text cell carries its own font and colour: clients that drop <style> still show it right.
    for (const cell of html.match(/<td[^>]*>/g) ?? []) expect(cell).toMatch(/style="[^"]*(padding|border-radius)/);
    expect(html).toMatch(/<td class="sa-text" style="[^"]*color:#1b1f24/);
  });

  it('has a dark mode that keeps the text readable', () => {
    expect(html).toMatch(/<meta name="color-scheme" content="light dark">/);
    expect(html).toMatch(/@media \(prefers-color-scheme: dark\)[\s\S]*\.sa-text \{ color: #e8eaed !important; \}/);
    // SES reads {{ }} as fields: the style block must not contain a double brace.
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(style).not.toMatch(/\{\{|\}\}/);
  });

  it('takes the portal name and colour from the template data', () => {
    const rendered = render(html, { ...definition.example, portalName: 'ACME HELP', primaryColour: '#7a1f5c' });
    expect(rendered).toContain('ACME HELP');
    expect(rendered).toContain('background-color:#7a1f5c');
    expect(rendered).not.toContain('IMS SUPPORT');
    expect(rendered).not.toMatch(/#1f4e8c/i);
  });

  it('has a plain-text part with the same essentials', () => {
    const rendered = render(text, definition.example);
    expect(rendered).not.toMatch(/<[a-z]/i);
    expect(rendered).toContain(definition.example.loginUrl);
    if ('resetUrl' in definition.example) expect(rendered).toContain(definition.example.resetUrl);
    if ('temporaryPassword' in definition.example) {
      expect(rendered).toMatch(new RegExp(`^ {4}${definition.example.temporaryPassword}$`, 'm'));
    }
  });
});

describe.each(languages)('the %s emails that carry a password or a link', (language) => {
  const textOf = (id: EmailTemplateId) => readFileSync(join(EMAILS, language, `${emailTemplates[id].id}.txt`), 'utf8');

  it.each(['resetLink', 'newPassword', 'welcome'] as const)(
    '%s greets by the name (the welcome by the full name), not the username',
    (id) => {
      const field = id === 'welcome' ? 'fullName' : 'name';
      expect(textOf(id).split('\n')[0]).toMatch(new RegExp(`^\\S+ \\{\\{${field}\\}\\},$`));
      expect(htmlOf(language, id)).toContain(`{{${field}}},</p>`);
    },
  );

  it.each(['newPassword', 'welcome'] as const)('%s says how long the temporary password works and until when', (id) => {
    for (const part of [textOf(id), htmlOf(language, id)]) {
      expect(part).toContain('{{validMinutes}}');
      expect(part).toContain('{{expiresAt}}');
    }
  });
});
