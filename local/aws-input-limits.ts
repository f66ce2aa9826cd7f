// AWS's input rules the emulators do not apply (cognito-local takes any username, aws-ses-v2-local
// any template name, the local queue any size), applied by the proxies in front of them so a call
// AWS would refuse is refused here too, with the error AWS gives. The rules are the ones the
// adapters check before calling (lambdas/definitions/aws-input-rules.ts).
import { awsInputLimits, isCognitoUsername } from '../lambdas/definitions/aws-input-rules';
import type { LocalService, RawRequest } from './iam/aws-requests';

export interface InputRefusal {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Cognito operations whose Username is held to the UsernameType rules. */
const COGNITO_USERNAME_OPERATIONS =
  /^Admin(GetUser|SetUserPassword|UserGlobalSignOut|CreateUser|DeleteUser|DisableUser|EnableUser|ResetUserPassword|UpdateUserAttributes)$/;

function json(request: RawRequest): Record<string, unknown> {
  try {
    return JSON.parse(request.body.toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

function refuse(status: number, type: string, message: string, json = true): InputRefusal {
  return {
    status,
    headers: { 'content-type': json ? 'application/x-amz-json-1.1' : 'application/json', 'x-amzn-errortype': type },
    body: JSON.stringify(json ? { __type: type, message } : { message }),
  };
}

export function inputRefusal(service: LocalService, request: RawRequest): InputRefusal | undefined {
  const target = String(request.headers['x-amz-target'] ?? '');
  const operation = target.slice(target.lastIndexOf('.') + 1);
  if (service === 'cognito') {
    const body = json(request);
    if (
      COGNITO_USERNAME_OPERATIONS.test(operation) &&
      typeof body.Username === 'string' &&
      !isCognitoUsername(body.Username)
    ) {
      return refuse(
        400,
        'InvalidParameterException',
        "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length " +
          `less than or equal to ${awsInputLimits.cognitoUsernameMaxLength} and satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+`,
      );
    }
    if (
      operation === 'ListUsers' &&
      typeof body.Filter === 'string' &&
      body.Filter.length > awsInputLimits.listUsersFilterMaxLength
    ) {
      return refuse(
        400,
        'InvalidParameterException',
        `1 validation error detected: Value at 'filter' failed to satisfy constraint: Member must have length less than or equal to ${awsInputLimits.listUsersFilterMaxLength}`,
      );
    }
  }
  if (service === 'sqs' && operation === 'SendMessage') {
    const { MessageBody } = json(request);
    if (typeof MessageBody === 'string' && Buffer.byteLength(MessageBody, 'utf8') > awsInputLimits.sqsMessageMaxBytes) {
      return refuse(
        400,
        'InvalidParameterValueException',
        `One or more parameters are invalid. Reason: Message must be shorter than ${awsInputLimits.sqsMessageMaxBytes} bytes.`,
      );
    }
  }
  if (
    service === 'ses' &&
    request.method === 'POST' &&
    new URL(request.url, 'http://local').pathname === '/v2/email/outbound-emails'
  ) {
    const template = (
      json(request).Content as { Template?: { TemplateName?: string; TemplateData?: string } } | undefined
    )?.Template;
    const name = template?.TemplateName;
    if (
      name !== undefined &&
      (name.length > awsInputLimits.sesTemplateNameMaxLength || !/^[A-Za-z0-9_-]+$/.test(name))
    ) {
      return refuse(
        400,
        'BadRequestException',
        `Template name ${name} is invalid: at most 64 letters, digits, _ or -.`,
        false,
      );
    }
    if (
      template?.TemplateData !== undefined &&
      Buffer.byteLength(template.TemplateData, 'utf8') > awsInputLimits.sesTemplateDataMaxBytes
    ) {
      return refuse(
        400,
        'BadRequestException',
        `Template data is longer than ${awsInputLimits.sesTemplateDataMaxBytes} bytes.`,
        false,
      );
    }
  }
  return undefined;
}
