// SESv2 adapter: sends the templated emails by name. The templates themselves are created from
// lambdas/emails/ by the CDK stack (or the local runner).
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { assertSesTemplateData, assertSesTemplateName } from '../definitions/aws-input-rules';
import {
  type CommonEmailData,
  type EmailTemplateId,
  type NewPasswordEmailData,
  type ResetLinkEmailData,
  type SecurityNoticeEmailData,
  sesTemplateName,
} from '../definitions/email-templates';
import type { Language } from '../definitions/languages';
import { securityChangeText } from '../definitions/second-factors';
import type { Mailer, NewPasswordEmail, ResetLinkEmail, SecurityMailer, SecurityNoticeEmail } from '../domain/ports';

const locales: Record<Language, string> = { en: 'en-GB', it: 'it-IT' };
const dateFormats = new Map<Language, Intl.DateTimeFormat>();

/** A date as the email's reader expects it, in UTC (the reader's zone is not known). */
export function formatEmailDate(date: Date, language: Language): string {
  let format = dateFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(locales[language], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
    dateFormats.set(language, format);
  }
  return `${format.format(date)} UTC`;
}

export interface SesMailerOptions extends SesSenderOptions {
  readonly common: CommonEmailData;
}

/** Where templated emails come from; shared by every SES adapter. */
export interface SesSenderOptions {
  readonly senderEmail: string;
  readonly templatePrefix: string;
  readonly configurationSet: string | undefined;
}

/** Sends one SES template, by name for its language, with its data. */
export async function sendTemplatedEmail(
  ses: SESv2Client,
  options: SesSenderOptions,
  email: { template: EmailTemplateId; to: string; language: Language; data: CommonEmailData },
): Promise<void> {
  const templateName = sesTemplateName(options.templatePrefix, email.template, email.language);
  const templateData = JSON.stringify(email.data);
  assertSesTemplateName(templateName);
  assertSesTemplateData(templateData);
  await ses.send(
    new SendEmailCommand({
      FromEmailAddress: options.senderEmail,
      Destination: { ToAddresses: [email.to] },
      Content: { Template: { TemplateName: templateName, TemplateData: templateData } },
      ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
    }),
  );
}

export class SesMailer implements Mailer, SecurityMailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly options: SesMailerOptions,
  ) {}

  async sendResetLink(email: ResetLinkEmail): Promise<void> {
    const data: ResetLinkEmailData = {
      ...this.options.common,
      username: email.username,
      name: email.greetingName,
      resetUrl: email.resetUrl,
      expiresAt: formatEmailDate(email.expiresAt, email.language),
      validMinutes: email.validMinutes,
    };
    await this.send('resetLink', email.to, email.language, data);
  }

  async sendNewPassword(email: NewPasswordEmail): Promise<void> {
    const data: NewPasswordEmailData = {
      ...this.options.common,
      username: email.username,
      name: email.greetingName,
      temporaryPassword: email.temporaryPassword,
      validMinutes: email.validMinutes,
      expiresAt: formatEmailDate(email.expiresAt, email.language),
      requestedAt: formatEmailDate(email.requestedAt, email.language),
      requestIp: email.requestIp,
    };
    await this.send('newPassword', email.to, email.language, data);
  }

  async sendSecurityNotice(email: SecurityNoticeEmail): Promise<void> {
    const data: SecurityNoticeEmailData = {
      ...this.options.common,
      username: email.username,
      change: securityChangeText[email.change][email.language].replace('{name}', email.detail ?? ''),
      changedAt: formatEmailDate(email.changedAt, email.language),
      sourceIp: email.sourceIp,
    };
    await this.send('securityNotice', email.to, email.language, data);
  }

  private send(template: EmailTemplateId, to: string, language: Language, data: CommonEmailData): Promise<void> {
    return sendTemplatedEmail(this.ses, this.options, { template, to, language, data });
  }
}
