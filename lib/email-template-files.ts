// Reads the email templates' HTML and text files, for the CDK stack and the local runner (the
// Lambda bundles never need them: they send by template name).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EmailTemplateId, emailTemplates, sesTemplateName } from '../lambdas/definitions/email-templates';

export const EMAILS_DIR = join(__dirname, '..', 'lambdas', 'emails');

export interface EmailTemplateContent {
  readonly id: EmailTemplateId;
  readonly name: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export function emailTemplateContents(prefix: string): EmailTemplateContent[] {
  return (Object.keys(emailTemplates) as EmailTemplateId[]).map((id) => {
    const { id: file, subject } = emailTemplates[id];
    return {
      id,
      name: sesTemplateName(prefix, id),
      subject,
      html: readFileSync(join(EMAILS_DIR, `${file}.html`), 'utf8'),
      text: readFileSync(join(EMAILS_DIR, `${file}.txt`), 'utf8'),
    };
  });
}
