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
  /** The greeting's name: the account's name in Cognito, else the username. */
  readonly name: string;
  readonly resetUrl: string;
  readonly expiresAt: string;
  readonly validMinutes: number;
}

export interface NewPasswordEmailData extends CommonEmailData {
  readonly username: string;
  /** The greeting's name: the account's name in Cognito, else the username. */
  readonly name: string;
  readonly temporaryPassword: string;
  /** How long the temporary password works (lifetimes.ts temporaryPasswordMinutes) and until when. */
  readonly validMinutes: number;
  readonly expiresAt: string;
  readonly requestedAt: string;
  readonly requestIp: string;
}

/** To the ops address: a stranger asked for an account; what they wrote and how to decide. */
export interface CredentialRequestOpsEmailData extends CommonEmailData {
  readonly reference: string;
  readonly fullName: string;
  readonly company: string;
  readonly email: string;
  readonly phone: string;
  readonly reason: string;
  readonly requestedAt: string;
  readonly requestIp: string;
  readonly language: string;
  /** Whether an account already uses the address, in words (never shown to the requester). */
  readonly accountNote: string;
  /** Other pending requests for the same address, in words. */
  readonly duplicateNote: string;
  readonly approveCommand: string;
  readonly rejectCommand: string;
}

/** To the requester once approved: the account and a temporary password, as after a reset. */
export interface WelcomeEmailData extends CommonEmailData {
  readonly fullName: string;
  readonly reference: string;
  readonly username: string;
  readonly temporaryPassword: string;
  readonly validMinutes: number;
  readonly expiresAt: string;
}

/** To the requester once rejected, with the support team's reason. */
export interface CredentialRejectedEmailData extends CommonEmailData {
  readonly fullName: string;
  readonly reference: string;
  readonly requestedAt: string;
  readonly reason: string;
}

/** To the account's owner after a change to how they sign in (factors, codes, sessions). */
export interface SecurityNoticeEmailData extends CommonEmailData {
  readonly username: string;
  /** What changed, in the email's language (lambdas/definitions/second-factors.ts). */
  readonly change: string;
  readonly changedAt: string;
  readonly sourceIp: string;
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
      name: 'Demo User',
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
      name: 'Demo User',
      temporaryPassword: 'Xk7mPq2Rt9vWn4Lz',
      validMinutes: 60,
      expiresAt: '26 Nov 2026, 19:02 UTC',
      requestedAt: '26 Nov 2026, 18:02 UTC',
      requestIp: '203.0.113.7',
    },
  } satisfies EmailTemplateDefinition<NewPasswordEmailData>,
  credentialRequestOps: {
    id: 'credential-request-ops',
    subject: {
      en: '{{portalName}}: new credential request',
      it: '{{portalName}}: nuova richiesta di credenziali',
    },
    example: {
      ...common,
      reference: 'CR-7KQ4-M2XP',
      fullName: 'Anna Rossi',
      company: 'Rossi & Figli S.p.A.',
      email: 'anna.rossi@customer.example',
      phone: '+39 02 1234 5678',
      reason: 'I am the new IT contact for our support contract.',
      requestedAt: '26 Nov 2026, 18:02 UTC',
      requestIp: '203.0.113.7',
      language: 'it',
      accountNote: 'No account uses this email address.',
      duplicateNote: 'No other pending request for this email address.',
      approveCommand: 'npm run ops -- approve CR-7KQ4-M2XP',
      rejectCommand: 'npm run ops -- reject CR-7KQ4-M2XP --reason "..."',
    },
  } satisfies EmailTemplateDefinition<CredentialRequestOpsEmailData>,
  welcome: {
    id: 'welcome',
    subject: { en: '{{portalName}}: your account is ready', it: '{{portalName}}: il tuo account è pronto' },
    example: {
      ...common,
      fullName: 'Anna Rossi',
      reference: 'CR-7KQ4-M2XP',
      username: 'anna.rossi',
      temporaryPassword: 'Xk7mPq2Rt9vWn4Lz',
      validMinutes: 60,
      expiresAt: '26 Nov 2026, 19:02 UTC',
    },
  } satisfies EmailTemplateDefinition<WelcomeEmailData>,
  credentialRejected: {
    id: 'credential-rejected',
    subject: {
      en: '{{portalName}}: your credential request',
      it: '{{portalName}}: la tua richiesta di credenziali',
    },
    example: {
      ...common,
      fullName: 'Anna Rossi',
      reference: 'CR-7KQ4-M2XP',
      requestedAt: '26 Nov 2026, 18:02 UTC',
      reason: 'Your company already has its two support contacts; please ask one of them.',
    },
  } satisfies EmailTemplateDefinition<CredentialRejectedEmailData>,
  securityNotice: {
    id: 'security-notice',
    subject: {
      en: '{{portalName}}: a change to how you sign in',
      it: '{{portalName}}: una modifica al tuo accesso',
    },
    example: {
      ...common,
      username: 'demo',
      change: 'An authenticator app was set up.',
      changedAt: '26 Nov 2026, 18:02 UTC',
      sourceIp: '203.0.113.7',
    },
  } satisfies EmailTemplateDefinition<SecurityNoticeEmailData>,
} as const;

export type EmailTemplateId = keyof typeof emailTemplates;

/** SES template names are per account and region, so every deployment prefixes its own. */
export function sesTemplateName(prefix: string, id: EmailTemplateId, language: Language): string {
  return `${prefix}-${emailTemplates[id].id}-${language}`;
}
