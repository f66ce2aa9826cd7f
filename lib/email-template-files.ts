// Reads the email templates' HTML and text files, for the CDK stack and the local runner (the
// Lambda bundles never need them: they send by template name).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EmailTemplateId, emailTemplates, sesTemplateName } from '../lambdas/definitions/email-templates';
import { type Language, languages } from '../lambdas/definitions/languages';

export const EMAILS_DIR = join(__dirname, '..', 'lambdas', 'emails');

export interface EmailTemplateContent {
  readonly id: EmailTemplateId;
  readonly language: Language;
  readonly name: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/**
 * An email's HTML: the shared head (lambdas/emails/head.html: meta tags and the dark-mode styles,
 * with the language and title filled in) before the template's own file, which starts with its
 * <title> line and goes on from <body>.
 */
export function emailHtml(language: Language, source: string, head: string): string {
  const title = /^<title>(.*)<\/title>\n/.exec(source);
  if (!title) throw new Error('an email template must start with its <title>...</title> line');
  return head.replace('%LANG%', language).replace('%TITLE%', title[1] ?? '') + source.slice(title[0].length);
}

/** Every template in every language: lambdas/emails/<language>/<id>.html and .txt. */
export function emailTemplateContents(prefix: string): EmailTemplateContent[] {
  const head = readFileSync(join(EMAILS_DIR, 'head.html'), 'utf8');
  return (Object.keys(emailTemplates) as EmailTemplateId[]).flatMap((id) =>
    languages.map((language) => {
      const { id: file, subject } = emailTemplates[id];
      return {
        id,
        language,
        name: sesTemplateName(prefix, id, language),
        subject: subject[language],
        html: emailHtml(language, readFileSync(join(EMAILS_DIR, language, `${file}.html`), 'utf8'), head),
        text: readFileSync(join(EMAILS_DIR, language, `${file}.txt`), 'utf8'),
      };
    }),
  );
}
