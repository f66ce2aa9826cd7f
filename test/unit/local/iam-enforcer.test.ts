// The local IAM check: a template's role policies, tokens resolved to the local resources, decide
// each call the proxies see, and a refusal looks like AWS's.
import { LOCAL_ADMIN_ACCESS_KEY } from '../../../local/iam/admin-key';
import type { LocalService, RawRequest } from '../../../local/iam/aws-requests';
import { IamEnforcer } from '../../../local/iam/iam-enforcer';
import {
  type CfnTemplate,
  functionPolicies,
  handlerNames,
  TemplateError,
  templateSettings,
} from '../../../local/iam/template-policies';

const local = {
  tableName: 'support-access',
  userPoolId: 'local_POOL',
  clientId: 'client',
  queueName: 'reset-requests',
  queueUrl: 'http://127.0.0.1:1/000000000000/reset-requests',
};
const sesArn = (resource: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':ses:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${resource}`,
    ],
  ],
});

const pascal = (handler: string) => handler.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());

/** A template shaped like the synthesized one: every handler a function with its own role and policy. */
function template(statements: Record<string, unknown[]>): CfnTemplate {
  const resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> = {
    DataTable0A1B2C3D: { Type: 'AWS::DynamoDB::Table' },
    UsersUserPool0A1B2C3D: { Type: 'AWS::Cognito::UserPool' },
    ResetQueue0A1B2C3D: { Type: 'AWS::SQS::Queue' },
    ResetQueueDeadLetterQueue0A1B2C3D: { Type: 'AWS::SQS::Queue' },
    MailTemplate0A1B2C3D: {
      Type: 'AWS::SES::Template',
      Properties: { Template: { TemplateName: 'SupportAccess-reset-link-en' } },
    },
  };
  for (const handler of handlerNames()) {
    const id = handler === 'password-reset-worker' ? pascal(handler) : `Api${pascal(handler)}`;
    resources[`${id}1234ABCD`] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Role: { 'Fn::GetAtt': [`${id}Role`, 'Arn'] },
        Environment: {
          Variables: {
            TABLE_NAME: { Ref: 'DataTable0A1B2C3D' },
            USER_POOL_ID: { Ref: 'UsersUserPool0A1B2C3D' },
            RESET_QUEUE_URL: { Ref: 'ResetQueue0A1B2C3D' },
            SENDER_EMAIL: 'no-reply@support.example.com',
            EMAIL_TEMPLATE_PREFIX: 'SupportAccess',
          },
        },
      },
    };
    resources[`${id}Role`] = { Type: 'AWS::IAM::Role', Properties: {} };
    resources[`${id}Policy`] = {
      Type: 'AWS::IAM::Policy',
      Properties: {
        Roles: [{ Ref: `${id}Role` }],
        PolicyDocument: { Version: '2012-10-17', Statement: statements[handler] ?? [] },
      },
    };
  }
  return { Resources: resources };
}

const grants = {
  'session-create': [
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      Resource: { 'Fn::GetAtt': ['DataTable0A1B2C3D', 'Arn'] },
    },
    { Effect: 'Allow', Action: 'cognito-idp:ListUsers', Resource: { 'Fn::GetAtt': ['UsersUserPool0A1B2C3D', 'Arn'] } },
  ],
  'password-reset-request': [
    { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['ResetQueue0A1B2C3D', 'Arn'] } },
  ],
  'password-reset-worker': [
    {
      Effect: 'Allow',
      Action: 'dynamodb:Query',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['DataTable0A1B2C3D', 'Arn'] }, '/index/byUser']] },
    },
    {
      Effect: 'Allow',
      Action: 'ses:SendEmail',
      Resource: [
        sesArn('identity/support.example.com'),
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not JavaScript's
        { 'Fn::Sub': 'arn:aws:ses:${AWS::Region}:${AWS::AccountId}:template/${MailTemplate0A1B2C3D}' },
      ],
      Condition: { StringEquals: { 'ses:FromAddress': 'no-reply@support.example.com' } },
    },
  ],
};

function signed(
  key: string | undefined,
  request: Omit<RawRequest, 'headers' | 'body'> & { target?: string; body?: unknown },
): RawRequest {
  return {
    method: request.method,
    url: request.url,
    headers: {
      ...(request.target ? { 'x-amz-target': request.target } : {}),
      ...(key
        ? {
            authorization: `AWS4-HMAC-SHA256 Credential=${key}/20261202/eu-west-1/svc/aws4_request, SignedHeaders=host, Signature=0`,
          }
        : {}),
    },
    body: Buffer.from(JSON.stringify(request.body ?? {})),
  };
}

const dynamo = (key: string | undefined, operation: string, body: Record<string, unknown>) =>
  signed(key, { method: 'POST', url: '/', target: `DynamoDB_20120810.${operation}`, body });
const cognito = (key: string | undefined, operation: string, body: Record<string, unknown>) =>
  signed(key, { method: 'POST', url: '/', target: `AWSCognitoIdentityProviderService.${operation}`, body });
const sendEmail = (key: string, from: string, templateName = 'SupportAccess-reset-link-en') =>
  signed(key, {
    method: 'POST',
    url: '/v2/email/outbound-emails',
    body: {
      FromEmailAddress: from,
      Destination: { ToAddresses: ['jane@customer.example'] },
      Content: { Template: { TemplateName: templateName, TemplateData: '{}' } },
    },
  });

let lines: string[];
let enforcer: IamEnforcer;
const check = (service: LocalService, request: RawRequest) => enforcer.check(service, request);

beforeEach(() => {
  lines = [];
  enforcer = new IamEnforcer(functionPolicies(template(grants), local), { log: (line) => lines.push(line) });
});

describe('local IAM enforcement', () => {
  it('lets a granted call through, with the table ARN resolved from Fn::GetAtt', async () => {
    await expect(
      check('dynamodb', dynamo('session-create', 'GetItem', { TableName: 'support-access' })),
    ).resolves.toBeUndefined();
    expect(lines).toEqual([]);
  });

  it('refuses an action the role lacks as AWS does (400 AccessDeniedException) and logs the function and action', async () => {
    const denial = await check(
      'cognito',
      cognito('session-create', 'AdminGetUser', { UserPoolId: 'local_POOL', Username: 'demo' }),
    );
    expect(denial?.status).toBe(400);
    expect(denial?.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    const body = JSON.parse(denial?.body ?? '{}');
    expect(body.__type).toBe('AccessDeniedException');
    expect(body.message).toMatch(
      /^User: arn:aws:sts::000000000000:assumed-role\/session-create\/session-create is not authorized to perform: cognito-idp:AdminGetUser on resource: arn:aws:cognito-idp:eu-west-1:000000000000:userpool\/local_POOL/,
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('session-create cognito-idp:AdminGetUser');
  });

  it('checks the resource: the same action on another table or the index is refused', async () => {
    expect(await check('dynamodb', dynamo('session-create', 'GetItem', { TableName: 'other' }))).toBeDefined();
    expect(
      await check(
        'dynamodb',
        dynamo('session-create', 'GetItem', { TableName: 'support-access', IndexName: 'byUser' }),
      ),
    ).toBeDefined();
    expect(
      await check(
        'dynamodb',
        dynamo('password-reset-worker', 'Query', { TableName: 'support-access', IndexName: 'byUser' }),
      ),
    ).toBeUndefined();
  });

  it("answers each function by its own role: a grant of one function is not another one's", async () => {
    expect(
      await check('cognito', cognito('session-create', 'ListUsers', { UserPoolId: 'local_POOL' })),
    ).toBeUndefined();
    expect(await check('cognito', cognito('session-get', 'ListUsers', { UserPoolId: 'local_POOL' }))).toBeDefined();
  });

  it('evaluates ses:FromAddress and the template: SES v2 refusals are 403', async () => {
    expect(await check('ses', sendEmail('password-reset-worker', 'no-reply@support.example.com'))).toBeUndefined();
    expect(
      await check('ses', sendEmail('password-reset-worker', '"IMS SUPPORT" <no-reply@support.example.com>')),
    ).toBeUndefined();
    const otherSender = await check('ses', sendEmail('password-reset-worker', 'ceo@support.example.com'));
    expect(otherSender?.status).toBe(403);
    expect(otherSender?.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect(
      await check(
        'ses',
        sendEmail('password-reset-worker', 'no-reply@support.example.com', 'SupportAccess-welcome-en'),
      ),
    ).toBeDefined();
  });

  it('checks the SQS stand-in by queue ARN', async () => {
    const send = (key: string, url: string) =>
      signed(key, {
        method: 'POST',
        url: '/',
        target: 'AmazonSQS.SendMessage',
        body: { QueueUrl: url, MessageBody: 'x' },
      });
    expect(await check('sqs', send('password-reset-request', local.queueUrl))).toBeUndefined();
    expect(await check('sqs', send('session-create', local.queueUrl))).toBeDefined();
    expect(await check('sqs', send('password-reset-request', 'http://127.0.0.1:1/000000000000/other'))).toBeDefined();
  });

  it('refuses a caller that is no function of the template, and lets the admin key and public Cognito calls through', async () => {
    const unknown = await check('dynamodb', dynamo('local', 'GetItem', { TableName: 'support-access' }));
    expect(JSON.parse(unknown?.body ?? '{}').__type).toBe('UnrecognizedClientException');
    expect(lines[0]).toMatch(/access key "local" is no function of the template/);
    expect(await check('dynamodb', dynamo(undefined, 'GetItem', { TableName: 'support-access' }))).toBeDefined();
    expect(
      await check('dynamodb', dynamo(LOCAL_ADMIN_ACCESS_KEY, 'DeleteTable', { TableName: 'support-access' })),
    ).toBeUndefined();
    expect(await check('cognito', cognito('session-get', 'InitiateAuth', { ClientId: 'client' }))).toBeUndefined();
  });

  it('records what each function called, allowed or not', async () => {
    await check('dynamodb', dynamo('session-create', 'GetItem', { TableName: 'support-access' }));
    await check('dynamodb', dynamo('session-create', 'GetItem', { TableName: 'support-access' }));
    await check('dynamodb', dynamo('session-create', 'DeleteItem', { TableName: 'support-access' }));
    expect(enforcer.calls()).toEqual([
      { handler: 'session-create', action: 'dynamodb:DeleteItem', allowed: false },
      { handler: 'session-create', action: 'dynamodb:GetItem', allowed: true },
    ]);
  });
});

describe('reading the template', () => {
  it("says which handler has no function in a template that is not this project's", () => {
    expect(() => functionPolicies({ Resources: {} }, local)).toThrow(TemplateError);
    expect(() => functionPolicies({ Resources: {} }, local)).toThrow(
      /0 Lambda functions for handler "password-reset-request"/,
    );
  });

  it('takes the sender and the template prefix the functions are deployed with', () => {
    expect(templateSettings(template(grants))).toEqual({
      senderEmail: 'no-reply@support.example.com',
      templatePrefix: 'SupportAccess',
    });
  });
});
