// The transactional emails, defined once. CDK creates SES templates from these definitions and the
// files in lambdas/emails/<language>/; the local runner creates the same templates in the SES
// emulator; the handlers only send by name with the data below. One SES template per language.
import type { Language } from './languages';

export interface EmailTemplateDefinition<Data> {
  /** Suffix of the SES template name and base name of its files in lambdas/emails/. */
  readonly id: string;
  readonly subject: Readonly<Record<Language, string>>;
  /** Example data: documents the fields and lets tests render the template. */
  readonly example: Data;
}

/** Shared by every email. Values are plain text the app controls or has validated. */
export interface CommonEmailData {
  readonly portalName: string;
  readonly primaryColour: string;
  readonly loginUrl: string;
}

export interface ResetLinkEmailData extends CommonEmailData {
  readonly username: string;
  readonly resetUrl: string;
  readonly expiresAt: string;
  readonly validMinutes: number;
}

export interface NewPasswordEmailData extends CommonEmailData {
  readonly username: string;
  readonly temporaryPassword: string;
  readonly requestedAt: string;
  readonly requestIp: string;
}

const common: CommonEmailData = {
  portalName: 'IMS SUPPORT',
  primaryColour: '#1f4e8c',
  loginUrl: 'https://support.example.com/',
};

export const emailTemplates = {
  resetLink: {
    id: 'reset-link',
    subject: { en: '{{portalName}}: reset your password', it: '{{portalName}}: reimposta la password' },
    example: {
      ...common,
      username: 'demo',
      resetUrl: 'https://support.example.com/reset#token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      expiresAt: '26 Nov 2026, 18:30 UTC',
      validMinutes: 30,
    },
  } satisfies EmailTemplateDefinition<ResetLinkEmailData>,
  newPassword: {
    id: 'new-password',
    subject: { en: '{{portalName}}: your new password', it: '{{portalName}}: la tua nuova password' },
    example: {
      ...common,
      username: 'demo',
      temporaryPassword: 'Xk7mPq2Rt9vWn4Lz',
      requestedAt: '26 Nov 2026, 18:02 UTC',
      requestIp: '203.0.113.7',
    },
  } satisfies EmailTemplateDefinition<NewPasswordEmailData>,
} as const;

export type EmailTemplateId = keyof typeof emailTemplates;

/** SES template names are per account and region, so every deployment prefixes its own. */
export function sesTemplateName(prefix: string, id: EmailTemplateId, language: Language): string {
  return `${prefix}-${emailTemplates[id].id}-${language}`;
}
