// AWS's input rules, checked before the call: mocked clients that refuse what AWS refuses prove
// that a login Cognito would reject costs no call, no retry and no dead letter, and that SES and
// SQS inputs over their limits never leave the function.
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
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
import { CognitoAccountAdmin } from '../../../lambdas/adapters/cognito-accounts';
import { CognitoUserDirectory } from '../../../lambdas/adapters/cognito-directory';
import { sendTemplatedEmail } from '../../../lambdas/adapters/ses-mailer';
import { SqsResetRequestQueue } from '../../../lambdas/adapters/sqs-queue';
import {
  AwsInputRefused,
  awsInputLimits,
  isCognitoUsername,
  listUsersEqualsFilter,
} from '../../../lambdas/definitions/aws-input-rules';
import { handler as worker } from '../../../lambdas/handlers/password-reset-worker';
import { handler as createSession } from '../../../lambdas/handlers/session-create';
import { apiEvent, parseBody, sqsEvent } from '../../support/events';

const cognito = mockClient(CognitoIdentityProviderClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);
const sqs = mockClient(SQSClient);

/** What Cognito answers a Username outside its pattern or length. */
const invalidParameter = () =>
  Object.assign(new Error("1 validation error detected: Value at 'username' failed to satisfy constraint"), {
    name: 'InvalidParameterException',
    $metadata: { httpStatusCode: 400 },
  });

beforeEach(() => {
  cognito.reset();
  dynamo.reset();
  ses.reset();
  sqs.reset();
  // Like Cognito: a username outside the rules is refused, a valid unknown one is not found.
  cognito.on(AdminGetUserCommand).callsFake((input: { Username: string }) => {
    if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u.test(input.Username)) throw invalidParameter();
    throw Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' });
  });
  cognito.on(AdminInitiateAuthCommand).rejects(invalidParameter());
  cognito.on(ListUsersCommand).resolves({ Users: [] });
  dynamo.on(PutCommand).resolves({});
  dynamo.on(GetCommand).resolves({});
  dynamo.on(DeleteCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({ Attributes: { count: 1 } });
  dynamo.on(QueryCommand).resolves({ Items: [] });
});

const spaced = 'jane doe';
const long = 'a'.repeat(200);

describe('Cognito usernames (at most 128 characters of letters, marks, symbols, numbers, punctuation)', () => {
  it.each([
    ['jane.doe', true],
    ['Jöhn_O’Neil+x@example', true],
    ['a'.repeat(awsInputLimits.cognitoUsernameMaxLength), true],
    ['a'.repeat(awsInputLimits.cognitoUsernameMaxLength + 1), false],
    [spaced, false],
    ['tab\there', false],
    ['nbsp\u00a0here', false],
    ['', false],
  ])('%j is a username Cognito accepts: %s', (value, expected) => {
    expect(isCognitoUsername(value)).toBe(expected);
  });

  it.each([spaced, long])('finds no account for %j without asking Cognito', async (login) => {
    const directory = new CognitoUserDirectory(new CognitoIdentityProviderClient({}), {
      userPoolId: 'pool',
      clientId: 'client',
      clientSecret: async () => 'secret',
    });
    await expect(directory.findByLogin(login)).resolves.toBeUndefined();
    expect(cognito).not.toHaveReceivedAnyCommand();
  });

  it('asks Cognito about a valid username of exactly 128 characters', async () => {
    const directory = new CognitoUserDirectory(new CognitoIdentityProviderClient({}), {
      userPoolId: 'pool',
      clientId: 'client',
      clientSecret: async () => 'secret',
    });
    await expect(directory.findByLogin('b'.repeat(128))).resolves.toBeUndefined();
    expect(cognito).toHaveReceivedCommandTimes(AdminGetUserCommand, 1);
  });
});

describe('ListUsers filter (at most 256 characters, quotes and backslashes escaped)', () => {
  it('escapes " and \\ inside the quoted value', () => {
    expect(listUsersEqualsFilter('email', 'a"b\\c@example.com')).toBe('email = "a\\"b\\\\c@example.com"');
  });

  it('gives no filter when it would be longer than Cognito accepts', () => {
    const fits = `${'a'.repeat(256 - 'email = "@x.io"'.length)}@x.io`;
    expect(listUsersEqualsFilter('email', fits)).toHaveLength(256);
    expect(listUsersEqualsFilter('email', `a${fits}`)).toBeUndefined();
  });

  it('looks up no account by an address too long for the filter (directory and ops)', async () => {
    const address = `${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example`;
    const directory = new CognitoUserDirectory(new CognitoIdentityProviderClient({}), {
      userPoolId: 'pool',
      clientId: 'client',
      clientSecret: async () => 'secret',
    });
    await expect(directory.findByLogin(address)).resolves.toBeUndefined();
    const accounts = new CognitoAccountAdmin(new CognitoIdentityProviderClient({}), 'pool');
    await expect(accounts.usersWithEmail(address)).resolves.toEqual([]);
    expect(cognito).not.toHaveReceivedAnyCommand();
  });
});

describe('a login AWS would refuse', () => {
  it.each([spaced, long])('queued as %j: done at once, no Cognito call, no retry', async (login) => {
    const message = JSON.stringify({ v: 1, requestedAt: Date.now(), sourceIp: '203.0.113.7', requestId: 'r', login });
    const result = await worker(sqsEvent(message));
    expect(result.batchItemFailures).toEqual([]);
    expect(cognito).not.toHaveReceivedAnyCommand();
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it.each([spaced, long])(
    'signing in as %j: the same 401 as a wrong password, without asking Cognito',
    async (login) => {
      const response = await createSession(
        apiEvent('POST', '/api/session', { body: { username: login, password: 'x' } }),
      );
      expect(response.statusCode).toBe(401);
      expect(parseBody(response).error).toBe('invalid_credentials');
      expect(cognito).not.toHaveReceivedAnyCommand();
    },
  );
});

describe('SES v2 SendEmail', () => {
  const options = {
    senderEmail: 'no-reply@support.example.com',
    templatePrefix: 'support-access',
    configurationSet: undefined,
  };
  const data = { portalName: 'IMS SUPPORT', primaryColour: '#1f4e8c', loginUrl: 'https://support.example.com/' };

  it('refuses a template name over 64 characters before sending', async () => {
    const send = sendTemplatedEmail(
      new SESv2Client({}),
      { ...options, templatePrefix: 'p'.repeat(60) },
      {
        template: 'resetLink',
        to: 'a@example.com',
        language: 'en',
        data,
      },
    );
    await expect(send).rejects.toThrow(AwsInputRefused);
    await expect(send).rejects.toThrow(
      /at most 64 letters, digits, _ or -\): shorten or correct EMAIL_TEMPLATE_PREFIX/,
    );
    expect(ses).not.toHaveReceivedAnyCommand();
  });

  it('refuses a template name with characters SES does not allow', async () => {
    const send = sendTemplatedEmail(
      new SESv2Client({}),
      { ...options, templatePrefix: 'support access' },
      {
        template: 'resetLink',
        to: 'a@example.com',
        language: 'en',
        data,
      },
    );
    await expect(send).rejects.toThrow(AwsInputRefused);
    expect(ses).not.toHaveReceivedAnyCommand();
  });

  it('refuses template data over 256 KiB before sending, and sends data at the limit', async () => {
    const over = { ...data, portalName: 'x'.repeat(awsInputLimits.sesTemplateDataMaxBytes) };
    await expect(
      sendTemplatedEmail(new SESv2Client({}), options, {
        template: 'resetLink',
        to: 'a@example.com',
        language: 'en',
        data: over,
      }),
    ).rejects.toThrow(/template data is \d+ bytes, over SES's 262144/);
    expect(ses).not.toHaveReceivedAnyCommand();
    ses.on(SendEmailCommand).resolves({ MessageId: 'm' });
    await sendTemplatedEmail(new SESv2Client({}), options, {
      template: 'resetLink',
      to: 'a@example.com',
      language: 'en',
      data,
    });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
  });
});

describe('SQS SendMessage', () => {
  it('refuses a message over 256 KiB before sending', async () => {
    const queue = new SqsResetRequestQueue(new SQSClient({}), 'https://sqs.eu-west-1.amazonaws.com/1/q');
    const message = { v: 1, requestedAt: 1, sourceIp: '203.0.113.7', requestId: 'r', login: 'é'.repeat(140_000) };
    await expect(queue.enqueue(message as never)).rejects.toThrow(/SQS message is \d+ bytes, over the queue's 262144/);
    expect(sqs).not.toHaveReceivedCommand(SendMessageCommand);
  });
});
