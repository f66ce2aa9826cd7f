import {
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { unmetPasswordRules } from '../../../lambdas/definitions/password-policy';
import { hashToken, newToken } from '../../../lambdas/domain/secrets';
import { handler } from '../../../lambdas/handlers/password-reset-confirm';
import { rootLogger } from '../../../lambdas/logger';
import { apiEvent, parseBody } from '../../support/events';

const dynamo = mockClient(DynamoDBDocumentClient);
const cognito = mockClient(CognitoIdentityProviderClient);
const ses = mockClient(SESv2Client);

const token = newToken();
const pending = {
  pk: `TOKEN#${hashToken(token)}`,
  sk: 'TOKEN',
  username: 'demo',
  status: 'CLAIMED',
  createdAt: Date.now() - 60_000,
  expiresAt: Date.now() + 29 * 60_000,
  requestIp: '203.0.113.7',
};
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

beforeEach(() => {
  dynamo.reset();
  cognito.reset();
  ses.reset();
  dynamo.on(UpdateCommand).resolves({ Attributes: pending });
  dynamo.on(UpdateCommand, { Key: { sk: 'RATE' } }).resolves({ Attributes: { count: 1 } });
  dynamo.on(QueryCommand).resolves({ Items: [] });
  // Still ours just before the password is set (no newer link revoked it).
  dynamo.on(GetCommand, { Key: { sk: 'TOKEN' } }).resolves({ Item: pending });
  dynamo.on(UpdateCommand, { Key: { sk: 'GENERATION' } }).resolves({ Attributes: { generation: 1 } });
  cognito.on(AdminGetUserCommand).resolves({
    Username: 'demo',
    Enabled: true,
    UserAttributes: [{ Name: 'email', Value: 'demo@example.com' }],
  });
  cognito.on(AdminSetUserPasswordCommand).resolves({});
  cognito.on(AdminUserGlobalSignOutCommand).resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: 'e1' });
});

const confirm = (body: unknown) => handler(apiEvent('POST', '/api/password-reset/confirm', { body }));

describe('POST /api/password-reset/confirm', () => {
  it('claims the token with one conditional update (pending or lapsed claim, and not expired)', async () => {
    const response = await confirm({ token });
    expect(response.statusCode).toBe(200);
    const claim = dynamo.commandCalls(UpdateCommand).find((c) => c.args[0].input.Key?.sk === 'TOKEN')?.args[0].input;
    expect(claim?.Key).toEqual({ pk: `TOKEN#${hashToken(token)}`, sk: 'TOKEN' });
    expect(claim?.ConditionExpression).toContain('expiresAt > :now');
    expect(claim?.ConditionExpression).toContain('#status = :pending');
    expect(JSON.stringify(dynamo.calls().map((c) => c.args[0].input))).not.toContain(token);
  });

  it('sets a policy-compliant temporary password in Cognito and emails that same password', async () => {
    await confirm({ token });
    const set = cognito.commandCalls(AdminSetUserPasswordCommand)[0]?.args[0].input;
    expect(set).toMatchObject({ UserPoolId: 'eu-west-1_TEST', Username: 'demo', Permanent: false });
    expect(unmetPasswordRules(set?.Password ?? '')).toEqual([]);
    const email = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(email?.Destination?.ToAddresses).toEqual(['demo@example.com']);
    expect(email?.Content?.Template?.TemplateName).toBe('support-access-new-password-en');
    const data = JSON.parse(email?.Content?.Template?.TemplateData ?? '{}');
    expect(data).toMatchObject({ temporaryPassword: set?.Password, requestIp: '203.0.113.7', username: 'demo' });
  });

  it("ends every session first: deletes the user's server sessions and signs them out of Cognito", async () => {
    dynamo.on(QueryCommand, { IndexName: 'byUser' }).resolves({
      Items: [
        { pk: 'SESSION#a', sk: 'SESSION' },
        { pk: 'SESSION#b', sk: 'SESSION' },
      ],
    });
    await confirm({ token });
    const deleted = dynamo.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key?.pk);
    expect(deleted).toEqual(expect.arrayContaining(['SESSION#a', 'SESSION#b']));
    expect(cognito).toHaveReceivedCommandWith(AdminUserGlobalSignOutCommand, {
      UserPoolId: 'eu-west-1_TEST',
      Username: 'demo',
    });
    // Before the password changes, so a thief's session cannot outlive the reset.
    const order = cognito.calls().map((c) => c.args[0].constructor.name);
    expect(order.indexOf('AdminUserGlobalSignOutCommand')).toBeLessThan(order.indexOf('AdminSetUserPasswordCommand'));
  });

  it('changes no password when Cognito cannot sign the user out, and keeps the link', async () => {
    cognito.on(AdminUserGlobalSignOutCommand).rejects(
      Object.assign(new Error('InternalErrorException'), {
        name: 'InternalErrorException',
        $metadata: { httpStatusCode: 500 },
      }),
    );
    const response = await confirm({ token });
    expect(response.statusCode).toBe(503);
    expect(cognito).not.toHaveReceivedCommand(AdminSetUserPasswordCommand);
    const updates = dynamo.commandCalls(UpdateCommand).map((c) => c.args[0].input.ExpressionAttributeValues);
    expect(updates).toContainEqual(expect.objectContaining({ ':to': 'PENDING', ':from': 'CLAIMED' }));
  });

  it('marks the token used after the email is sent', async () => {
    await confirm({ token });
    const updates = dynamo.commandCalls(UpdateCommand).map((c) => c.args[0].input.ExpressionAttributeValues);
    expect(updates).toContainEqual(expect.objectContaining({ ':to': 'USED', ':from': 'CLAIMED' }));
  });

  it.each([
    ['USED', 410, 'link_used'],
    ['REVOKED', 410, 'link_replaced'],
  ])('answers a %s link with %i %s and changes no password', async (status, code, error) => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: { ...pending, status } });
    const response = await confirm({ token });
    expect(response.statusCode).toBe(code);
    expect(parseBody(response).error).toBe(error);
    expect(cognito).not.toHaveReceivedCommand(AdminSetUserPasswordCommand);
  });

  it('answers an expired link with 410 link_expired', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: { ...pending, status: 'PENDING', expiresAt: Date.now() - 1 } });
    const response = await confirm({ token });
    expect(response.statusCode).toBe(410);
    expect(parseBody(response).error).toBe('link_expired');
  });

  it('answers an unknown or malformed token with 400 link_invalid', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({});
    for (const value of [newToken(), 'abc', `${token}x`]) {
      const response = await confirm({ token: value });
      expect(response.statusCode).toBe(400);
      expect(parseBody(response).error).toBe('link_invalid');
    }
    expect(cognito).not.toHaveReceivedCommand(AdminSetUserPasswordCommand);
  });

  it('releases the claim and asks to try again when the email cannot be sent', async () => {
    ses
      .on(SendEmailCommand)
      .rejects(Object.assign(new Error('Throttling: Maximum sending rate exceeded'), { $metadata: {} }));
    const response = await confirm({ token });
    expect(response.statusCode).toBe(503);
    expect(response.body).not.toContain('Throttling');
    const updates = dynamo.commandCalls(UpdateCommand).map((c) => c.args[0].input.ExpressionAttributeValues);
    expect(updates).toContainEqual(expect.objectContaining({ ':to': 'PENDING', ':from': 'CLAIMED' }));
    expect(updates).not.toContainEqual(expect.objectContaining({ ':to': 'USED' }));
  });

  it('never writes the token, the password or the whole email address to the logs', async () => {
    const lines: string[] = [];
    const capture = (chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    };
    const spies = [
      jest.spyOn(process.stdout, 'write').mockImplementation(capture),
      jest.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];
    rootLogger.setLogLevel('DEBUG');
    try {
      await confirm({ token });
      ses.on(SendEmailCommand).rejects(new Error('Email address is not verified: demo@example.com'));
      await confirm({ token });
    } finally {
      for (const spy of spies) spy.mockRestore();
      rootLogger.setLogLevel('SILENT');
    }
    const password = cognito.commandCalls(AdminSetUserPasswordCommand)[0]?.args[0].input.Password ?? 'none';
    const output = lines.join('');
    // The logs were written (so the check below means something) and name what happened.
    expect(output).toContain('password reset completed');
    expect(output).toContain('reset confirm failed; link released');
    expect(output).toContain('"username":"demo"');
    expect(output).not.toContain(token);
    expect(output).not.toContain(password);
    expect(output).not.toContain('demo@example.com');
    expect(output).toContain('d***@example.com');
  });
});
