// SESv2 adapter for the credential-request emails: the announcement to ops, and the welcome or
// rejection to the requester. Templates by name, as lambdas/adapters/ses-mailer.ts sends them.
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type {
  CommonEmailData,
  CredentialRejectedEmailData,
  CredentialRequestOpsEmailData,
  EmailTemplateId,
  WelcomeEmailData,
} from '../definitions/email-templates';
import { defaultLanguage, type Language } from '../definitions/languages';
import type {
  CredentialMailer,
  CredentialRequestRecord,
  OpsNotification,
  RejectedEmail,
  WelcomeEmail,
} from '../domain/ports';
import { formatEmailDate, type SesSenderOptions, sendTemplatedEmail } from './ses-mailer';

export interface SesCredentialMailerOptions extends SesSenderOptions {
  readonly common: CommonEmailData;
  /** Where requests are announced; only the form's handler needs it. */
  readonly opsEmail?: string;
  /** Appended to the commands in the ops email, e.g. "--stack SupportAccess --region eu-west-1". */
  readonly opsCommandArgs?: string;
}

function accountNote(request: CredentialRequestRecord): string {
  switch (request.accountCheck) {
    case 'none':
      return 'No account uses this email address.';
    case 'exists':
      return `Already has an account: ${request.existingUsernames.join(', ')}. The requester was not told. Approving will be refused; reject with a reason that points them to "Forgot your password?".`;
    case 'unknown':
      return 'The account check failed when the request arrived; approving checks again.';
  }
}

function duplicateNote(request: CredentialRequestRecord): string {
  return request.earlierPending.length === 0
    ? 'No other pending request for this email address.'
    : `Also pending for this email address: ${request.earlierPending.join(', ')}. Approve one, reject the others.`;
}

/** The ops CLI command for a request, ready to copy. */
export function opsCommand(command: 'approve' | 'reject', reference: string, args = ''): string {
  const suffix = args ? ` ${args}` : '';
  return command === 'approve'
    ? `npm run ops -- approve ${reference}${suffix}`
    : `npm run ops -- reject ${reference} --reason "..."${suffix}`;
}

export class SesCredentialMailer implements CredentialMailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly options: SesCredentialMailerOptions,
  ) {}

  async notifyOps({ request, capReached }: OpsNotification): Promise<void> {
    const to = this.options.opsEmail;
    if (!to) throw new Error('no ops address configured (OPS_EMAIL)');
    // Ops read one language; the requester's is in the data.
    const language = defaultLanguage;
    const data: CredentialRequestOpsEmailData = {
      ...this.options.common,
      reference: request.reference,
      fullName: request.fullName,
      company: request.company,
      email: request.email,
      phone: request.phone ?? '(not given)',
      reason: request.reason,
      requestedAt: formatEmailDate(new Date(request.createdAt), language),
      requestIp: request.requestIp,
      language: request.language,
      accountNote: accountNote(request),
      duplicateNote: capReached
        ? `${duplicateNote(request)} MORE THAN ${capReached.limit} REQUESTS THIS HOUR: until ${formatEmailDate(new Date(capReached.until), language)} new requests are stored without an email each. List them with: npm run ops -- requests --status pending${this.options.opsCommandArgs ? ` ${this.options.opsCommandArgs}` : ''}`
        : duplicateNote(request),
      approveCommand: opsCommand('approve', request.reference, this.options.opsCommandArgs),
      rejectCommand: opsCommand('reject', request.reference, this.options.opsCommandArgs),
    };
    await this.send('credentialRequestOps', to, language, data);
  }

  async sendWelcome(email: WelcomeEmail): Promise<void> {
    const data: WelcomeEmailData = {
      ...this.options.common,
      fullName: email.fullName,
      reference: email.reference,
      username: email.username,
      temporaryPassword: email.temporaryPassword,
      validMinutes: email.validMinutes,
      expiresAt: formatEmailDate(email.expiresAt, email.language),
    };
    await this.send('welcome', email.to, email.language, data);
  }

  async sendRejected(email: RejectedEmail): Promise<void> {
    const data: CredentialRejectedEmailData = {
      ...this.options.common,
      fullName: email.fullName,
      reference: email.reference,
      requestedAt: formatEmailDate(email.requestedAt, email.language),
      reason: email.reason,
    };
    await this.send('credentialRejected', email.to, email.language, data);
  }

  private send(template: EmailTemplateId, to: string, language: Language, data: CommonEmailData): Promise<void> {
    return sendTemplatedEmail(this.ses, this.options, { template, to, language, data });
  }
}
