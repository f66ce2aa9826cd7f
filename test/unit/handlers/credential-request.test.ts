// POST /api/credential-requests with mocked AWS clients: what is stored, what ops receive, and
// that the requester's answer never depends on whether the address has an account.
import { CognitoIdentityProviderClient, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { REFERENCE_PATTERN } from '../../../lambdas/definitions/credential-request';
import { rateLimitDefaults } from '../../../lambdas/definitions/rate-limits';
import { handler } from '../../../lambdas/handlers/credential-request';
import { apiEvent, parseBody } from '../../support/events';

const dynamo = mockClient(DynamoDBDocumentClient);
const cognito = mockClient(CognitoIdentityProviderClient);
const ses = mockClient(SESv2Client);

const body = {
  fullName: 'Anna Rossi',
  company: 'Rossi & Figli',
  email: 'Anna.Rossi@Customer.example',
  phone: '+39 02 1234 5678',
  reason: 'New IT contact for our support contract.',
  language: 'it',
};

function counting(count: number) {
  dynamo.on(UpdateCommand).resolves({ Attributes: { count } });
}

beforeEach(() => {
  dynamo.reset();
  cognito.reset();
  ses.reset();
  counting(1);
  dynamo.on(PutCommand).resolves({});
  dynamo.on(GetCommand).resolves({});
  dynamo.on(DeleteCommand).resolves({});
  cognito.on(ListUsersCommand).resolves({ Users: [] });
  ses.on(SendEmailCommand).resolves({ MessageId: 'e1' });
});

const send = (payload: unknown, sourceIp?: string) =>
  handler(apiEvent('POST', '/api/credential-requests', { body: payload, ...(sourceIp ? { sourceIp } : {}) }));

const opsEmail = () => {
  const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
  return { input, data: JSON.parse(input?.Content?.Template?.TemplateData ?? '{}') as Record<string, string> };
};

describe('POST /api/credential-requests', () => {
  it('answers 202 with a reference to quote', async () => {
    const response = await send(body);
    expect(response.statusCode).toBe(202);
    const answer = parseBody(response);
    expect(answer.reference).toMatch(REFERENCE_PATTERN);
    expect(answer.message).toContain(String(answer.reference));
  });

  it('stores the request pending, normalised, with who and when, under its reference', async () => {
    const before = Date.now();
    const { reference } = parseBody(await send({ ...body, fullName: '  Anna   Rossi ' }));
    const item = dynamo.commandCalls(PutCommand)[0]?.args[0].input;
    expect(item?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(item?.Item).toMatchObject({
      pk: `REQUEST#${reference}`,
      sk: 'REQUEST',
      userPk: 'REQUESTS#PENDING',
      status: 'PENDING',
      fullName: 'Anna Rossi',
      email: 'anna.rossi@customer.example',
      language: 'it',
      requestIp: '203.0.113.7',
      accountCheck: 'none',
    });
    expect(Number(item?.Item?.createdAt)).toBeGreaterThanOrEqual(before);
    expect(Number(item?.Item?.ttl)).toBeGreaterThan(Date.now() / 1000 + 300 * 86_400);
  });

  it('emails ops the details and the commands to decide, with the ops template', async () => {
    const { reference } = parseBody(await send(body));
    const { input, data } = opsEmail();
    expect(input?.Destination?.ToAddresses).toEqual(['ops@support.example.com']);
    expect(input?.FromEmailAddress).toBe('no-reply@support.example.com');
    expect(input?.Content?.Template?.TemplateName).toBe('support-access-credential-request-ops-en');
    expect(data).toMatchObject({
      reference,
      fullName: 'Anna Rossi',
      company: 'Rossi & Figli',
      email: 'anna.rossi@customer.example',
      phone: '+39 02 1234 5678',
      requestIp: '203.0.113.7',
      language: 'it',
      approveCommand: `npm run ops -- approve ${reference}`,
      rejectCommand: `npm run ops -- reject ${reference} --reason "..."`,
    });
    expect(data.accountNote).toBe('No account uses this email address.');
  });

  it('answers an address with an account exactly like one without; ops are told, the requester is not', async () => {
    const unknown = await send(body, '198.51.100.1');
    ses.reset();
    ses.on(SendEmailCommand).resolves({});
    cognito.on(ListUsersCommand).resolves({
      Users: [
        { Username: 'anna', Enabled: true, Attributes: [{ Name: 'email', Value: 'anna.rossi@customer.example' }] },
      ],
    });
    const known = await send(body, '198.51.100.2');
    expect(known.statusCode).toBe(unknown.statusCode);
    expect(known.headers).toEqual(unknown.headers);
    const strip = (r: typeof known) => ({ ...parseBody(r), reference: '', message: '' });
    expect(strip(known)).toEqual(strip(unknown));
    expect(String(parseBody(known).message).replace(/CR-\S+/g, '')).toBe(
      String(parseBody(unknown).message).replace(/CR-\S+/g, ''),
    );
    expect(JSON.stringify(parseBody(known))).not.toContain('anna');
    expect(opsEmail().data.accountNote).toMatch(/^Already has an account: anna\./);
  });

  it('looks the address up with a validated ListUsers filter, for every request', async () => {
    await send(body);
    expect(cognito).toHaveReceivedCommandWith(ListUsersCommand, {
      UserPoolId: 'eu-west-1_TEST',
      Filter: 'email = "anna.rossi@customer.example"',
    });
  });

  it.each([
    [{ ...body, fullName: 'Anna\r\nBcc: victim@example.com' }, /fullName/],
    [{ ...body, company: '<script>alert(1)</script>' }, /company/],
    [{ ...body, email: 'x@example.com\nBcc: y@example.com' }, /email/],
    [{ ...body, email: 'x" or email = "demo@example.com' }, /email/],
    [{ ...body, reason: '' }, /reason/],
    [{ ...body, phone: 'call me maybe' }, /phone/],
    [{ ...body, admin: true }, /admin|Unrecognized/i],
    [{ ...body, fullName: 42 }, /fullName/],
    [{ fullName: 'Anna Rossi' }, /company/],
  ])('refuses %j with a 400 naming the field, and stores and sends nothing', async (payload, field) => {
    const response = await send(payload);
    expect(response.statusCode).toBe(400);
    expect(parseBody(response)).toMatchObject({ error: 'invalid_request', message: expect.stringMatching(field) });
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
    expect(cognito).not.toHaveReceivedCommand(ListUsersCommand);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('limits requests per source IP', async () => {
    counting(rateLimitDefaults.perIp['credential-request'].limit + 1);
    const response = await send(body);
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBeDefined();
    expect(parseBody(response).message).toMatch(/your network/);
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('limits requests per email address, with its own words', async () => {
    const overLimit = rateLimitDefaults.credentialRequestsPerEmail.limit + 1;
    dynamo.on(UpdateCommand).callsFake((input: { Key: { pk: string } }) => ({
      Attributes: { count: input.Key.pk.startsWith('RATE#email:credential-request#') ? overLimit : 1 },
    }));
    const response = await send(body);
    expect(response.statusCode).toBe(429);
    expect(parseBody(response)).toMatchObject({ error: 'rate_limited' });
    expect(parseBody(response).message).toMatch(/several requests for this email address/);
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('when the ops email fails: removes the request, gives the hit back, answers 503 without SDK words', async () => {
    ses
      .on(SendEmailCommand)
      .rejects(Object.assign(new Error('Throttling: Maximum sending rate exceeded'), { $metadata: {} }));
    const response = await send(body);
    expect(response.statusCode).toBe(503);
    expect(JSON.stringify(parseBody(response))).not.toMatch(/Throttling|sending rate/);
    const put = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, { Key: { pk: put?.pk, sk: 'REQUEST' } });
    const refunds = dynamo
      .commandCalls(UpdateCommand)
      .filter((c) => c.args[0].input.ExpressionAttributeValues?.[':one'] === -1);
    // Both hits given back: the address's, and the hourly count of ops emails.
    expect(refunds).toHaveLength(2);
  });

  it('when the account check fails: still accepts, and tells ops the check failed', async () => {
    cognito.on(ListUsersCommand).rejects(Object.assign(new Error('boom'), { $metadata: {} }));
    const response = await send(body);
    expect(response.statusCode).toBe(202);
    expect(opsEmail().data.accountNote).toMatch(/account check failed/);
  });

  it('refuses a request from another site', async () => {
    const response = await handler(
      apiEvent('POST', '/api/credential-requests', { body, headers: { origin: 'https://evil.example' } }),
    );
    expect(response.statusCode).toBe(403);
  });

  it('reads earlier pending requests of the address with one keyed read, never a query', async () => {
    dynamo.on(GetCommand).resolves({ Item: { pending: new Set(['CR-AAAA-BBBB', 'CR-CCCC-DDDD']) } });
    const response = await send(body);
    expect(response.statusCode).toBe(202);
    expect(dynamo).toHaveReceivedCommandTimes(GetCommand, 1);
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input.Key?.pk).toMatch(/^REQEMAIL#[0-9a-f]{64}$/);
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
    const stored = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(stored?.earlierPending).toEqual(['CR-AAAA-BBBB', 'CR-CCCC-DDDD']);
    // The new request joins the address's pending set.
    const indexed = dynamo
      .commandCalls(UpdateCommand)
      .find((c) => String(c.args[0].input.Key?.pk).startsWith('REQEMAIL#'));
    expect(indexed?.args[0].input.UpdateExpression).toMatch(/^ADD pending :reference/);
  });
});
