// AWS's own input rules for the calls this code makes, where the local emulators are lenient:
// checked before a call so that a value AWS would refuse never reaches it (a refusal would cost a
// retry, or a message in the dead-letter queue, for input that can never succeed). The local
// proxies apply the same rules, so the emulators refuse what AWS refuses.

/** Limits from the AWS API references (Cognito AdminGetUser/ListUsers, SES v2 SendEmail, SQS SendMessage). */
export const awsInputLimits = {
  /** Cognito Username: 1 to 128 characters of [\p{L}\p{M}\p{S}\p{N}\p{P}] (no whitespace, no controls). */
  cognitoUsernameMaxLength: 128,
  /** Cognito ListUsers Filter, the whole expression (e.g. `email = "a@b.example"`). */
  listUsersFilterMaxLength: 256,
  /** SES template names: letters, digits, underscores and dashes, at most 64 characters. */
  sesTemplateNameMaxLength: 64,
  /** SES v2 SendEmail TemplateData (JSON), in bytes. */
  sesTemplateDataMaxBytes: 262_144,
  /** SQS message body: the queue's MaximumMessageSize, 256 KiB unless the queue sets more (ours does not). */
  sqsMessageMaxBytes: 262_144,
} as const;

const COGNITO_USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const SES_TEMPLATE_NAME = /^[A-Za-z0-9_-]+$/;

/** Thrown before an AWS call whose input AWS would refuse; says which rule and what to do. */
export class AwsInputRefused extends Error {
  override readonly name = 'AwsInputRefused';
}

export function isCognitoUsername(value: string): boolean {
  return value.length <= awsInputLimits.cognitoUsernameMaxLength && COGNITO_USERNAME.test(value);
}

/**
 * `<attribute> = "<value>"` with `\` and `"` escaped as ListUsers expects, or undefined when the
 * filter would be longer than Cognito accepts (no account can match such a value anyway).
 */
export function listUsersEqualsFilter(attribute: string, value: string): string | undefined {
  const filter = `${attribute} = "${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return filter.length <= awsInputLimits.listUsersFilterMaxLength ? filter : undefined;
}

export function assertSesTemplateName(name: string): void {
  if (name.length > awsInputLimits.sesTemplateNameMaxLength || !SES_TEMPLATE_NAME.test(name)) {
    throw new AwsInputRefused(
      `SES template name "${name}" breaks SES's rule (at most ${awsInputLimits.sesTemplateNameMaxLength} ` +
        'letters, digits, _ or -): shorten or correct EMAIL_TEMPLATE_PREFIX',
    );
  }
}

export function assertSesTemplateData(data: string): void {
  const bytes = Buffer.byteLength(data, 'utf8');
  if (bytes > awsInputLimits.sesTemplateDataMaxBytes) {
    throw new AwsInputRefused(
      `SES template data is ${bytes} bytes, over SES's ${awsInputLimits.sesTemplateDataMaxBytes}: ` +
        'send less data with the email (the fields that fill it in are too long)',
    );
  }
}

export function assertSqsMessageBody(body: string): void {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > awsInputLimits.sqsMessageMaxBytes) {
    throw new AwsInputRefused(
      `SQS message is ${bytes} bytes, over the queue's ${awsInputLimits.sqsMessageMaxBytes}: ` +
        'queue a smaller message (its fields are too long)',
    );
  }
}
