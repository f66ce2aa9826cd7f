// What an AWS request asks IAM for: from the wire format the SDK sends to each local emulator
// (X-Amz-Target + JSON body for DynamoDB, Cognito and SQS; REST path and method for SES v2), the
// IAM action(s), the resource ARN(s) and the condition keys AWS evaluates for it.
import { LOCAL_ACCOUNT, LOCAL_REGION } from './template-policies';

export type LocalService = 'dynamodb' | 'cognito' | 'ses' | 'sqs' | 'secretsmanager' | 'kms';

/** One authorisation AWS makes: the action on one of `resources` (any of them may allow it: e.g. an address or its domain identity). */
export interface IamCheck {
  readonly action: string;
  readonly resources: readonly string[];
  readonly context: Readonly<Record<string, string | string[]>>;
}

export type DescribedRequest =
  /** Every check must pass. */
  | { readonly kind: 'iam'; readonly operation: string; readonly checks: readonly IamCheck[] }
  /** Cognito's public and token-authorised operations (InitiateAuth...): IAM is not asked. */
  | { readonly kind: 'public'; readonly operation: string }
  | { readonly kind: 'unknown'; readonly operation: string; readonly reason: string };

export interface RawRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

const arn = (service: string, resource: string) => `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;
const global = { 'aws:RequestedRegion': LOCAL_REGION };

/** Cognito operations authorised by the user's tokens or open to anyone, not by IAM (Cognito API reference). */
const COGNITO_PUBLIC = new Set([
  'InitiateAuth',
  'RespondToAuthChallenge',
  'SignUp',
  'ConfirmSignUp',
  'ResendConfirmationCode',
  'ForgotPassword',
  'ConfirmForgotPassword',
  'ChangePassword',
  'GetUser',
  'GlobalSignOut',
  'RevokeToken',
  'GetTokensFromRefreshToken',
  'AssociateSoftwareToken',
  'VerifySoftwareToken',
  'SetUserMFAPreference',
  'SetUserSettings',
  'UpdateUserAttributes',
  'DeleteUserAttributes',
  'DeleteUser',
  'GetUserAttributeVerificationCode',
  'VerifyUserAttribute',
  'ConfirmDevice',
  'ForgetDevice',
  'GetDevice',
  'ListDevices',
  'UpdateDeviceStatus',
  'GetUserAuthFactors',
  'StartWebAuthnRegistration',
  'CompleteWebAuthnRegistration',
  'ListWebAuthnCredentials',
  'DeleteWebAuthnCredential',
]);

function jsonBody(body: Buffer): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8') || '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function header(request: RawRequest, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

function operationOf(request: RawRequest): string {
  const target = header(request, 'x-amz-target');
  return target.slice(target.lastIndexOf('.') + 1);
}

function describeDynamo(request: RawRequest): DescribedRequest {
  const operation = operationOf(request);
  const body = jsonBody(request.body);
  const table = (name: unknown) => arn('dynamodb', `table/${String(name)}`);
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
    const tables = Object.keys((body.RequestItems ?? {}) as Record<string, unknown>);
    return {
      kind: 'iam',
      operation,
      checks: tables.map((name) => ({ action: `dynamodb:${operation}`, resources: [table(name)], context: global })),
    };
  }
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    const actions: Record<string, string> = {
      Put: 'PutItem',
      Update: 'UpdateItem',
      Delete: 'DeleteItem',
      ConditionCheck: 'ConditionCheckItem',
      Get: 'GetItem',
    };
    const items = (body.TransactItems ?? []) as Record<string, { TableName?: string }>[];
    const checks = items.flatMap((item) =>
      Object.entries(item).map(([kind, op]) => ({
        action: `dynamodb:${actions[kind] ?? kind}`,
        resources: [table(op.TableName)],
        context: global,
      })),
    );
    return { kind: 'iam', operation, checks };
  }
  if (typeof body.TableName !== 'string') {
    return {
      kind: 'unknown',
      operation,
      reason: `DynamoDB ${operation || '(no X-Amz-Target)'} without a TableName is not modelled locally`,
    };
  }
  const resource =
    typeof body.IndexName === 'string' ? `${table(body.TableName)}/index/${body.IndexName}` : table(body.TableName);
  return {
    kind: 'iam',
    operation,
    checks: [{ action: `dynamodb:${operation}`, resources: [resource], context: global }],
  };
}

function describeCognito(request: RawRequest): DescribedRequest {
  const operation = operationOf(request);
  if (COGNITO_PUBLIC.has(operation)) return { kind: 'public', operation };
  const { UserPoolId } = jsonBody(request.body);
  if (typeof UserPoolId !== 'string') {
    return {
      kind: 'unknown',
      operation,
      reason: `Cognito ${operation || '(no X-Amz-Target)'} without a UserPoolId is not modelled locally`,
    };
  }
  return {
    kind: 'iam',
    operation,
    checks: [
      {
        action: `cognito-idp:${operation}`,
        resources: [arn('cognito-idp', `userpool/${UserPoolId}`)],
        context: global,
      },
    ],
  };
}

function describeSqs(request: RawRequest): DescribedRequest {
  const operation = operationOf(request);
  const { QueueUrl } = jsonBody(request.body);
  if (typeof QueueUrl !== 'string') {
    return {
      kind: 'unknown',
      operation,
      reason: `SQS ${operation || '(no X-Amz-Target)'} without a QueueUrl is not modelled locally`,
    };
  }
  const [account = '', name = ''] = new URL(QueueUrl).pathname.split('/').filter(Boolean);
  const action = operation === 'SendMessageBatch' ? 'sqs:SendMessage' : `sqs:${operation}`;
  return {
    kind: 'iam',
    operation,
    checks: [{ action, resources: [`arn:aws:sqs:${LOCAL_REGION}:${account}:${name}`], context: global }],
  };
}

/** "Name" <a@b.example> -> { address: a@b.example, name: Name }. */
export function parseAddress(value: string): { address: string; name?: string } {
  const angle = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(value);
  if (!angle) return { address: value.trim() };
  const name = (angle[1] ?? '').replace(/^"|"$/g, '');
  return { address: angle[2] ?? '', ...(name ? { name } : {}) };
}

function describeSes(request: RawRequest): DescribedRequest {
  const path = new URL(request.url, 'http://local').pathname;
  const operation = `${request.method} ${path}`;
  const ses = (resource: string) => arn('ses', resource);
  const context = { ...global, 'ses:ApiVersion': '2' };
  if (request.method === 'POST' && path === '/v2/email/outbound-emails') {
    const body = jsonBody(request.body) as {
      FromEmailAddress?: string;
      Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
      Content?: { Template?: { TemplateName?: string; TemplateArn?: string } };
      ConfigurationSetName?: string;
      FeedbackForwardingEmailAddress?: string;
    };
    const from = parseAddress(body.FromEmailAddress ?? '');
    const domain = from.address.slice(from.address.lastIndexOf('@') + 1);
    const recipients = [
      ...(body.Destination?.ToAddresses ?? []),
      ...(body.Destination?.CcAddresses ?? []),
      ...(body.Destination?.BccAddresses ?? []),
    ].map((to) => parseAddress(to).address);
    const sendContext = {
      ...context,
      'ses:FromAddress': from.address,
      'ses:Recipients': recipients,
      ...(from.name ? { 'ses:FromDisplayName': from.name } : {}),
      ...(body.FeedbackForwardingEmailAddress ? { 'ses:FeedbackAddress': body.FeedbackForwardingEmailAddress } : {}),
    };
    // SES authorises the sending identity (the address, or the domain it belongs to), and the
    // template and configuration set when the request names them.
    const checks: IamCheck[] = [
      {
        action: 'ses:SendEmail',
        resources: [ses(`identity/${from.address}`), ses(`identity/${domain}`)],
        context: sendContext,
      },
    ];
    const template = body.Content?.Template;
    if (template?.TemplateArn)
      checks.push({ action: 'ses:SendEmail', resources: [template.TemplateArn], context: sendContext });
    else if (template?.TemplateName)
      checks.push({
        action: 'ses:SendEmail',
        resources: [ses(`template/${template.TemplateName}`)],
        context: sendContext,
      });
    if (body.ConfigurationSetName) {
      checks.push({
        action: 'ses:SendEmail',
        resources: [ses(`configuration-set/${body.ConfigurationSetName}`)],
        context: sendContext,
      });
    }
    return { kind: 'iam', operation: 'SendEmail', checks };
  }
  const template = /^\/v2\/email\/templates(?:\/([^/]+))?$/.exec(path);
  if (template) {
    const name = template[1] ? decodeURIComponent(template[1]) : String(jsonBody(request.body).TemplateName ?? '');
    const actions: Record<string, string> = template[1]
      ? { GET: 'GetEmailTemplate', PUT: 'UpdateEmailTemplate', DELETE: 'DeleteEmailTemplate' }
      : { POST: 'CreateEmailTemplate', GET: 'ListEmailTemplates' };
    const action = actions[request.method];
    if (action === 'ListEmailTemplates')
      return { kind: 'iam', operation: action, checks: [{ action: `ses:${action}`, resources: ['*'], context }] };
    if (action)
      return {
        kind: 'iam',
        operation: action,
        checks: [{ action: `ses:${action}`, resources: [ses(`template/${name}`)], context }],
      };
  }
  return { kind: 'unknown', operation, reason: `SES v2 ${operation} is not modelled locally` };
}

function describeSecretsManager(request: RawRequest): DescribedRequest {
  const operation = operationOf(request);
  const { SecretId } = jsonBody(request.body);
  // The functions name their secret by ARN (CloudFormation's Ref), which is what IAM matches.
  if (typeof SecretId !== 'string' || !SecretId.startsWith('arn:')) {
    return {
      kind: 'unknown',
      operation,
      reason: `Secrets Manager ${operation || '(no X-Amz-Target)'} without a secret ARN is not modelled locally`,
    };
  }
  return {
    kind: 'iam',
    operation,
    checks: [{ action: `secretsmanager:${operation}`, resources: [SecretId], context: global }],
  };
}

export function describeRequest(service: LocalService, request: RawRequest): DescribedRequest {
  switch (service) {
    case 'dynamodb':
      return describeDynamo(request);
    case 'cognito':
      return describeCognito(request);
    case 'sqs':
      return describeSqs(request);
    case 'ses':
      return describeSes(request);
    case 'kms':
      return describeKms(request);
    case 'secretsmanager':
      return describeSecretsManager(request);
  }
}

/** KMS JSON protocol: the operation is the action; the key named in the body is the resource. */
function describeKms(request: RawRequest): DescribedRequest {
  const operation = header(request, 'x-amz-target').replace(/^TrentService\./, '');
  if (!['Encrypt', 'Decrypt', 'GenerateDataKey'].includes(operation)) {
    return { kind: 'unknown', operation, reason: `KMS ${operation} is not modelled locally` };
  }
  const keyId = String(jsonBody(request.body).KeyId ?? '');
  const resource = keyId.startsWith('arn:') ? keyId : arn('kms', `key/${keyId}`);
  return { kind: 'iam', operation, checks: [{ action: `kms:${operation}`, resources: [resource], context: global }] };
}

/** The access key id the request was signed with (SigV4 `Credential=<key id>/<date>/...`), if signed. */
export function callerKey(request: RawRequest): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(header(request, 'authorization'))?.[1];
}
