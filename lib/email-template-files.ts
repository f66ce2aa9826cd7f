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

/** Every template in every language: lambdas/emails/<language>/<id>.html and .txt. */
export function emailTemplateContents(prefix: string): EmailTemplateContent[] {
  return (Object.keys(emailTemplates) as EmailTemplateId[]).flatMap((id) =>
    languages.map((language) => {
      const { id: file, subject } = emailTemplates[id];
      return {
        id,
        language,
        name: sesTemplateName(prefix, id, language),
        subject: subject[language],
        html: readFileSync(join(EMAILS_DIR, language, `${file}.html`), 'utf8'),
        text: readFileSync(join(EMAILS_DIR, language, `${file}.txt`), 'utf8'),
      };
    }),
  );
}
