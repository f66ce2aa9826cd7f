import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { hashToken } from '../../../lambdas/domain/secrets';
import { handler } from '../../../lambdas/handlers/password-reset-worker';
import { sqsEvent } from '../../support/events';

const dynamo = mockClient(DynamoDBDocumentClient);
const cognito = mockClient(CognitoIdentityProviderClient);
const ses = mockClient(SESv2Client);

const message = (fields: Record<string, unknown>) =>
  JSON.stringify({ v: 1, requestedAt: Date.now(), sourceIp: '203.0.113.7', requestId: 'r1', ...fields });

beforeEach(() => {
  dynamo.reset();
  cognito.reset();
  ses.reset();
  dynamo.on(PutCommand).resolves({});
  dynamo.on(UpdateCommand, { Key: { sk: 'RATE' } }).resolves({ Attributes: { count: 1 } });
  dynamo.on(QueryCommand).resolves({ Items: [] });
  ses.on(SendEmailCommand).resolves({ MessageId: 'e' });
  cognito
    .on(AdminGetUserCommand)
    .resolves({ Username: 'demo', Enabled: true, UserAttributes: [{ Name: 'email', Value: 'demo@example.com' }] });
  cognito.on(ListUsersCommand).resolves({
    Users: [
      {
        Username: 'demo',
        Enabled: true,
        Attributes: [
          { Name: 'email', Value: 'demo@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
      },
    ],
  });
});

describe('reset-request worker', () => {
  it('finds accounts by verified email addresses only: an unverified one gets nothing', async () => {
    cognito.on(ListUsersCommand).resolves({
      Users: [{ Username: 'demo', Enabled: true, Attributes: [{ Name: 'email', Value: 'demo@example.com' }] }],
    });
    const result = await handler(sqsEvent(message({ login: 'demo@example.com' })));
    expect(result.batchItemFailures).toEqual([]);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('stores the token hash with a TTL and emails the link built from SITE_URL', async () => {
    const result = await handler(sqsEvent(message({ login: 'demo@example.com' })));
    expect(result.batchItemFailures).toEqual([]);
    expect(cognito.commandCalls(ListUsersCommand)[0]?.args[0].input.Filter).toBe('email = "demo@example.com"');
    const email = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(email?.Content?.Template?.TemplateName).toBe('support-access-reset-link-en');
    const data = JSON.parse(email?.Content?.Template?.TemplateData ?? '{}');
    expect(data.resetUrl).toMatch(/^https:\/\/support\.example\.com\/reset#token=[\w-]{43}$/);
    const token = String(data.resetUrl).split('#token=')[1] ?? '';
    const item = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(item).toMatchObject({ pk: `TOKEN#${hashToken(token)}`, status: 'PENDING', username: 'demo' });
    expect(item?.ttl).toBeGreaterThan(Math.floor((item?.expiresAt as number) / 1000));
    expect(JSON.stringify(item)).not.toContain(token);
  });

  it('sends nothing for an unknown account, and does not fail the message', async () => {
    cognito
      .on(AdminGetUserCommand)
      .rejects(Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' }));
    const result = await handler(sqsEvent(message({ login: 'nobody' })));
    expect(result.batchItemFailures).toEqual([]);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('reports only the failed record back to SQS when SES fails, so it is retried', async () => {
    ses
      .on(SendEmailCommand)
      .rejectsOnce(Object.assign(new Error('Throttling'), { $metadata: {} }))
      .resolves({ MessageId: 'e' });
    const result = await handler(sqsEvent(message({ login: 'demo' }), message({ login: 'demo' })));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'message-0' }]);
  });

  it('fails a malformed message so it ends in the dead-letter queue instead of vanishing', async () => {
    const result = await handler(sqsEvent('not json', message({ login: undefined })));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'message-0' }, { itemIdentifier: 'message-1' }]);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });
});
