// The ops CLI with mocked AWS clients: arguments and exit codes, finding its target, and the
// approve and disable commands calling Cognito, DynamoDB and SES the way the real services expect.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
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
import { hashTemporaryPassword } from '../../../lambdas/domain/secrets';
import { EXIT, runOps } from '../../../ops/cli';
import { type OpsSettings, REQUIRED_OUTPUTS, readLocalSettings, readStackSettings } from '../../../ops/settings';

const dynamo = mockClient(DynamoDBDocumentClient);
const cognito = mockClient(CognitoIdentityProviderClient);
const ses = mockClient(SESv2Client);
const cloudFormation = mockClient(CloudFormationClient);

const settings: OpsSettings = {
  description: 'the test stack',
  region: 'eu-west-1',
  tableName: 'support-access-test',
  userPoolId: 'eu-west-1_TEST',
  loginUrl: 'https://support.example.com/',
  senderEmail: 'no-reply@support.example.com',
  templatePrefix: 'SupportAccess',
  configurationSet: 'support-access-set',
  portalName: 'IMS SUPPORT',
  primaryColour: '#1f4e8c',
  temporaryPasswordMinutes: 60,
  globalSignOut: true,
};

const pending = {
  pk: 'REQUEST#CR-7KQ4-M2XP',
  sk: 'REQUEST',
  reference: 'CR-7KQ4-M2XP',
  status: 'PENDING',
  fullName: 'Anna Rossi',
  company: 'Rossi & Figli',
  email: 'anna.rossi@customer.example',
  reason: 'New IT contact for our support contract.',
  language: 'it',
  createdAt: Date.UTC(2026, 10, 26, 18, 0),
  requestIp: '203.0.113.7',
  accountCheck: 'none',
  existingUsernames: [],
  earlierPending: [],
};

function run(argv: string[], options: { settings?: OpsSettings } = { settings }) {
  const out: string[] = [];
  const err: string[] = [];
  return runOps(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, options).then((code) => ({
    code,
    out: out.join('\n'),
    err: err.join('\n'),
  }));
}

const notFound = () =>
  Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException', $metadata: {} });

beforeEach(() => {
  for (const client of [dynamo, cognito, ses, cloudFormation]) client.reset();
  dynamo.on(GetCommand).resolves({ Item: pending });
  dynamo.on(UpdateCommand).resolves({ Attributes: { ...pending, claimUntil: Date.now() + 120_000 } });
  dynamo.on(PutCommand).resolves({});
  dynamo.on(QueryCommand).resolves({ Items: [] });
  cognito.on(ListUsersCommand).resolves({ Users: [] });
  cognito.on(AdminGetUserCommand).rejects(notFound());
  cognito.on(AdminCreateUserCommand).resolves({});
  cognito.on(AdminSetUserPasswordCommand).resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: 'e1' });
});

describe('arguments', () => {
  it.each([
    [[], /Usage: npm run ops/],
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['approve'], /"approve" needs <ref>/],
    [['show'], /"show" needs <ref>/],
    [['disable'], /"disable" needs <user>/],
    [['approve', 'CR-7KQ4-M2XP', 'extra'], /takes <ref>/],
    [['reject', 'CR-7KQ4-M2XP'], /needs the reason/],
    [['reject', 'CR-7KQ4-M2XP', 'no', 'quotes'], /put the reason in quotes/],
    [['requests', '--status', 'maybe'], /--status must be one of pending, approved, rejected, all/],
    [['users', '--reason', 'x'], /--reason does not apply to "users"/],
    [['requests', '--frob'], /Unknown option '--frob'/],
    [['requests', '--stack', 'X', '--endpoints', 'f.json'], /Pick one/],
    [['approve', 'CR-7KQ4-M2XP', '--by', 'Bobby; rm -rf'], /--by must be a name/],
    [['factors', 'reset'], /"factors" needs reset <user>/],
    [['factors', 'remove', 'demo'], /"factors" knows one action, reset/],
    [['factors', 'reset', 'demo', '--language', 'fr'], /--language must be one of en, it/],
    [['users', '--language', 'it'], /--language does not apply to "users"/],
  ])('%j: exit 2 with a message saying what to do', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(EXIT.usage);
    expect(result.err).toMatch(message);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('prints the help with exit 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(EXIT.ok);
    expect(result.out).toMatch(/approve <ref>[\s\S]*reject <ref> --reason[\s\S]*disable <user>/);
  });
});

describe('requests', () => {
  /** The index answers by status: `approved` of them approved, `rejected` rejected, none pending. */
  function stored(approved: number, rejected: number): void {
    const items = (status: string, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        ...pending,
        pk: `REQUEST#CR-${status}-${i}`,
        reference: `CR-${status.slice(0, 4)}-000${i}`,
        status,
      }));
    dynamo.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => {
      const key = input.ExpressionAttributeValues[':status'] ?? '';
      if (key.endsWith('APPROVED')) return { Items: items('APPROVED', approved) };
      if (key.endsWith('REJECTED')) return { Items: items('REJECTED', rejected) };
      return { Items: [] };
    });
  }

  it('--status pending with none pending says so and counts the other states', async () => {
    stored(2, 1);
    const result = await run(['requests', '--status', 'pending']);
    expect(result.code).toBe(EXIT.ok);
    expect(result.out).toBe(
      'No pending credential requests in the test stack (2 approved, 1 rejected). ' +
        'Run `requests` without --status to list them all.',
    );
  });

  it('--status approved with none approved counts pending and rejected', async () => {
    stored(0, 3);
    const result = await run(['requests', '--status', 'approved']);
    expect(result.out).toMatch(/^No approved credential requests in the test stack \(0 pending, 3 rejected\)/);
  });

  it('an empty table: no requests at all, with or without --status', async () => {
    stored(0, 0);
    await expect(run(['requests'])).resolves.toMatchObject({ out: 'No credential requests in the test stack.' });
    await expect(run(['requests', '--status', 'pending'])).resolves.toMatchObject({
      out: 'No credential requests in the test stack.',
    });
  });
});

describe('approve', () => {
  it('creates the user (suppressed Cognito message, verified email), sets a temporary password, sends the welcome', async () => {
    const result = await run(['approve', 'cr-7kq4-m2xp', '--by', 'olivia']);
    expect(result).toMatchObject({ code: EXIT.ok, err: '' });
    expect(result.out).toMatch(
      /Approved CR-7KQ4-M2XP: created the account anna\.rossi for anna\.rossi@customer\.example/,
    );
    expect(cognito).toHaveReceivedCommandWith(AdminCreateUserCommand, {
      UserPoolId: 'eu-west-1_TEST',
      Username: 'anna.rossi',
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: 'anna.rossi@customer.example' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: 'Anna Rossi' },
      ],
    });
    const set = cognito.commandCalls(AdminSetUserPasswordCommand)[0]?.args[0].input;
    expect(set).toMatchObject({ Username: 'anna.rossi', Permanent: false });
    const email = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(email).toMatchObject({
      FromEmailAddress: 'no-reply@support.example.com',
      Destination: { ToAddresses: ['anna.rossi@customer.example'] },
      ConfigurationSetName: 'support-access-set',
      Content: { Template: { TemplateName: 'SupportAccess-welcome-it' } },
    });
    const data = JSON.parse(email?.Content?.Template?.TemplateData ?? '{}');
    expect(data).toMatchObject({
      username: 'anna.rossi',
      temporaryPassword: set?.Password,
      validMinutes: 60,
      reference: 'CR-7KQ4-M2XP',
      loginUrl: 'https://support.example.com/',
    });
    // The temporary password is recorded by hash only, with its lifetime.
    const record = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(record).toMatchObject({
      pk: 'TEMP#anna.rossi',
      passwordHash: hashTemporaryPassword('anna.rossi', set?.Password ?? ''),
    });
    expect(JSON.stringify(dynamo.calls().map((c) => c.args[0].input))).not.toContain(set?.Password);
    expect(result.out).not.toContain(set?.Password);
    // The decision is recorded with who made it, only if the request was still pending.
    const decide = dynamo
      .commandCalls(UpdateCommand)
      .map((c) => c.args[0].input)
      .find((i) => i.ExpressionAttributeValues?.[':to']);
    expect(decide).toMatchObject({
      ConditionExpression: '#status = :pending',
      ExpressionAttributeValues: expect.objectContaining({
        ':to': 'APPROVED',
        ':by': 'olivia',
        ':detail': 'anna.rossi',
      }),
    });
  });

  it('a request already approved: exit 1, nothing created', async () => {
    dynamo.on(GetCommand).resolves({
      Item: { ...pending, status: 'APPROVED', username: 'anna.rossi', decidedAt: Date.now(), decidedBy: 'olivia' },
    });
    const result = await run(['approve', 'CR-7KQ4-M2XP']);
    expect(result.code).toBe(EXIT.refused);
    expect(result.err).toMatch(/already approved .* by olivia: the account is anna\.rossi\. Nothing was changed/);
    expect(cognito).not.toHaveReceivedCommand(AdminCreateUserCommand);
  });

  it('an address that already has an account: exit 1, nothing created, the way out named', async () => {
    cognito.on(ListUsersCommand).resolves({
      Users: [{ Username: 'arossi', Enabled: false, Attributes: [{ Name: 'email', Value: pending.email }] }],
    });
    const result = await run(['approve', 'CR-7KQ4-M2XP']);
    expect(result.code).toBe(EXIT.refused);
    expect(result.err).toMatch(/already has an account: arossi \(disabled\)\. Nothing was created/);
    expect(cognito).not.toHaveReceivedCommand(AdminCreateUserCommand);
  });

  it('a reference nobody has: exit 1', async () => {
    dynamo.on(GetCommand).resolves({});
    const result = await run(['approve', 'CR-2222-2222']);
    expect(result).toMatchObject({
      code: EXIT.refused,
      err: expect.stringMatching(/There is no request CR-2222-2222/),
    });
  });

  it('when Cognito refuses the password: the new user is deleted again and the request released', async () => {
    cognito
      .on(AdminSetUserPasswordCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: {} }));
    const result = await run(['approve', 'CR-7KQ4-M2XP']);
    expect(result.code).toBe(EXIT.refused);
    expect(result.err).toMatch(/failed and was undone .* still pending: run the command again/);
    expect(cognito).toHaveReceivedCommandWith(AdminDeleteUserCommand, { Username: 'anna.rossi' });
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
    const release = dynamo
      .commandCalls(UpdateCommand)
      .find((c) => c.args[0].input.UpdateExpression === 'REMOVE claimUntil');
    expect(release).toBeDefined();
  });

  it('takes the next username when Cognito says the first one exists', async () => {
    cognito
      .on(AdminCreateUserCommand, { Username: 'anna.rossi' })
      .rejects(Object.assign(new Error('exists'), { name: 'UsernameExistsException', $metadata: {} }));
    const result = await run(['approve', 'CR-7KQ4-M2XP']);
    expect(result.out).toMatch(/created the account anna\.rossi2/);
  });
});

describe('disable', () => {
  it('ends the sessions, signs the user out of Cognito everywhere, then disables', async () => {
    cognito.on(AdminGetUserCommand).resolves({
      Username: 'anna.rossi',
      Enabled: true,
      UserAttributes: [{ Name: 'email', Value: pending.email }],
    });
    dynamo.on(QueryCommand).resolves({ Items: [{ pk: 'SESSION#a', sk: 'SESSION' }] });
    dynamo.on(DeleteCommand).resolves({});
    const result = await run(['disable', 'anna.rossi']);
    expect(result).toMatchObject({ code: EXIT.ok, out: 'Disabled anna.rossi; ended 1 portal session(s).' });
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, { Key: { pk: 'SESSION#a', sk: 'SESSION' } });
    expect(cognito).toHaveReceivedCommandWith(AdminUserGlobalSignOutCommand, { Username: 'anna.rossi' });
    expect(cognito).toHaveReceivedCommandWith(AdminDisableUserCommand, { Username: 'anna.rossi' });
  });

  it('an unknown user: exit 1', async () => {
    const result = await run(['disable', 'ghost']);
    expect(result).toMatchObject({ code: EXIT.refused, err: expect.stringMatching(/No account matches "ghost"/) });
  });
});

describe('factors reset', () => {
  it('removes the factor items and sessions, writes the audit entry, emails the person', async () => {
    cognito.on(AdminGetUserCommand).resolves({
      Username: 'demo',
      Enabled: true,
      UserAttributes: [{ Name: 'email', Value: 'demo@example.com' }],
    });
    dynamo.on(QueryCommand, { KeyConditionExpression: 'pk = :pk' }).resolves({
      Items: [
        { pk: 'USER#demo', sk: 'TOTP' },
        { pk: 'USER#demo', sk: 'RECOVERY#abc' },
        { pk: 'USER#demo', sk: 'GENERATION' },
      ],
    });
    dynamo.on(DeleteCommand).resolves({});
    const result = await run(['factors', 'reset', 'demo', '--by', 'alice', '--language', 'it']);
    expect(result.code).toBe(EXIT.ok);
    expect(result.out).toContain('Reset the second factors of demo: removed 2 item(s), ended 0 session(s).');
    const deleted = dynamo.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key?.sk);
    expect(deleted.sort()).toEqual(['RECOVERY#abc', 'TOTP']);
    const audit = dynamo.commandCalls(PutCommand).map((c) => c.args[0].input.Item);
    expect(audit).toEqual([expect.objectContaining({ pk: 'AUDIT#demo', action: 'factors-reset', by: 'alice' })]);
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      Destination: { ToAddresses: ['demo@example.com'] },
      Content: { Template: expect.objectContaining({ TemplateName: expect.stringMatching(/security-notice-it$/) }) },
    });
  });

  it('an unknown user: exit 1, nothing removed', async () => {
    const result = await run(['factors', 'reset', 'nobody']);
    expect(result.code).toBe(EXIT.refused);
    expect(result.err).toMatch(/No account has the username or email "nobody"/);
    expect(dynamo.commandCalls(DeleteCommand)).toHaveLength(0);
  });
});

describe('the target', () => {
  it('without the local runner: exit 2, telling how to start it', async () => {
    const result = await run(['requests', '--endpoints', '/nonexistent/endpoints.json'], {});
    expect(result.code).toBe(EXIT.usage);
    expect(result.err).toMatch(/local runner is not running.*npm start/);
  });

  it('a file left by a runner that has stopped: exit 2', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ops-')), 'endpoints.json');
    writeFileSync(
      file,
      JSON.stringify({
        kind: 'support-access-local',
        pid: 2 ** 22 + 7,
        endpoints: {},
        tableName: 't',
        userPoolId: 'p',
      }),
    );
    expect(() => readLocalSettings(file)).toThrow(/has stopped/);
  });

  it('a deployed stack: its outputs', async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'SupportAccess' }).resolves({
      Stacks: [
        {
          StackName: 'SupportAccess',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: REQUIRED_OUTPUTS.map((key) => ({
            OutputKey: key,
            OutputValue: key === 'TemporaryPasswordMinutes' ? '45' : `value-of-${key}`,
          })),
        },
      ],
    });
    const resolved = await readStackSettings(
      { stack: 'SupportAccess', region: 'eu-west-1', profile: 'ops' },
      new CloudFormationClient({ region: 'eu-west-1' }),
    );
    expect(resolved).toMatchObject({
      description: 'the stack SupportAccess in eu-west-1',
      region: 'eu-west-1',
      profile: 'ops',
      tableName: 'value-of-TableName',
      userPoolId: 'value-of-UserPoolId',
      loginUrl: 'value-of-LoginUrl',
      templatePrefix: 'value-of-EmailTemplatePrefix',
      temporaryPasswordMinutes: 45,
      globalSignOut: true,
    });
    expect(resolved.local).toBeUndefined();
  });

  it('a stack from before the ops outputs: names what is missing', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'SupportAccess',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: [{ OutputKey: 'LoginUrl', OutputValue: 'https://x/' }],
        },
      ],
    });
    await expect(
      readStackSettings(
        { stack: 'SupportAccess', region: 'eu-west-1' },
        new CloudFormationClient({ region: 'eu-west-1' }),
      ),
    ).rejects.toThrow(/has no output UserPoolId, TableName, .*deploy this version/);
  });

  it('a stack that does not exist: exit 2 naming it', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(
        Object.assign(new Error('Stack with id Nope does not exist'), { name: 'ValidationError', $metadata: {} }),
      );
    const result = await run(['requests', '--stack', 'Nope', '--region', 'eu-west-1'], {});
    expect(result.code).toBe(EXIT.usage);
    expect(result.err).toMatch(/There is no stack "Nope" in eu-west-1/);
  });
});
