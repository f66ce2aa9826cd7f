import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
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
import { secretHash } from '../../../lambdas/adapters/cognito-directory';
import { hashTemporaryPassword, hashToken, newToken } from '../../../lambdas/domain/secrets';
import { handler as createSession } from '../../../lambdas/handlers/session-create';
import { handler as deleteSession } from '../../../lambdas/handlers/session-delete';
import { handler as getSession } from '../../../lambdas/handlers/session-get';
import { handler as choosePassword } from '../../../lambdas/handlers/session-new-password';
import { apiEvent, parseBody } from '../../support/events';

const dynamo = mockClient(DynamoDBDocumentClient);
const cognito = mockClient(CognitoIdentityProviderClient);

beforeEach(() => {
  dynamo.reset();
  cognito.reset();
  dynamo.on(PutCommand).resolves({});
  dynamo.on(GetCommand).resolves({});
  cognito.on(AdminGetUserCommand).resolves({
    Username: 'demo',
    Enabled: true,
    UserAttributes: [{ Name: 'email', Value: 'demo@example.com' }],
  });
  cognito.on(ListUsersCommand).resolves({ Users: [] });
  cognito.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientSecret: 'test-secret' } });
  dynamo.on(UpdateCommand, { Key: { sk: 'RATE' } }).resolves({ Attributes: { count: 1 } });
  dynamo.on(DeleteCommand).resolves({});
  // No second factor unless a test says so.
  dynamo.on(QueryCommand).resolves({ Items: [] });
});

const notAuthorized = () =>
  Object.assign(new Error('Incorrect username or password.'), { name: 'NotAuthorizedException', $metadata: {} });

function cookieValue(cookies: string[] | undefined, name: string): string | undefined {
  const cookie = cookies?.find((c) => c.startsWith(`${name}=`));
  return cookie?.slice(name.length + 1).split(';')[0];
}

describe('POST /api/session', () => {
  it('signs in and sets a Secure, HttpOnly, SameSite=Strict, __Host- session cookie over https', async () => {
    cognito.on(AdminInitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: 'a' } });
    const response = await createSession(
      apiEvent('POST', '/api/session', { body: { username: 'Demo', password: 'Correct-Horse-42' } }),
    );
    expect(response.statusCode).toBe(200);
    expect(parseBody(response)).toEqual({ username: 'demo' });
    const cookie = response.cookies?.find((c) => c.startsWith('__Host-sa_session='));
    expect(cookie).toMatch(/; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800; Secure$/);
    expect(cognito.commandCalls(AdminInitiateAuthCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'eu-west-1_TEST',
      ClientId: 'test-client',
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: {
        USERNAME: 'demo',
        PASSWORD: 'Correct-Horse-42',
        SECRET_HASH: secretHash('demo', 'test-client', 'test-secret'),
      },
    });
    const stored = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item;
    const value = cookieValue(response.cookies, '__Host-sa_session') ?? '';
    expect(stored?.pk).toBe(`SESSION#${hashToken(value)}`);
    expect(JSON.stringify(stored)).not.toContain(value);
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    cognito.on(AdminInitiateAuthCommand).rejects(notAuthorized());
    cognito.on(ListUsersCommand).resolves({ Users: [] });
    const wrong = await createSession(
      apiEvent('POST', '/api/session', { body: { username: 'demo', password: 'nope' } }),
    );
    const unknown = await createSession(
      apiEvent('POST', '/api/session', { body: { username: 'x@example.com', password: 'nope' } }),
    );
    expect(wrong.statusCode).toBe(401);
    expect(unknown).toEqual(wrong);
    expect(parseBody(wrong).error).toBe('invalid_credentials');
    expect(wrong.body).not.toContain('Incorrect');
    expect(wrong.cookies).toBeUndefined();
  });

  it('turns a temporary password into a NEW_PASSWORD_REQUIRED challenge kept server-side', async () => {
    cognito
      .on(AdminInitiateAuthCommand)
      .resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'cognito-session' });
    dynamo.on(GetCommand).resolves({});
    dynamo.on(GetCommand, { Key: { sk: 'TEMP' } }).resolves({
      Item: {
        passwordHash: hashTemporaryPassword('demo', 'Temp-Pass-123'),
        issuedAt: Date.now(),
        expiresAt: Date.now() + 60_000,
      },
    });
    const response = await createSession(
      apiEvent('POST', '/api/session', { body: { username: 'demo', password: 'Temp-Pass-123' } }),
    );
    expect(parseBody(response)).toMatchObject({ challenge: 'NEW_PASSWORD_REQUIRED' });
    expect(response.cookies?.[0]).toMatch(
      /^__Host-sa_challenge=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=180; Secure$/,
    );
    expect(JSON.stringify(response)).not.toContain('cognito-session');
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({
      challengeSession: 'cognito-session',
      username: 'demo',
    });
  });

  it('answers 503, not 500, when Cognito is down', async () => {
    cognito.on(AdminInitiateAuthCommand).rejects(
      Object.assign(new Error('InternalErrorException'), {
        name: 'InternalErrorException',
        $metadata: { httpStatusCode: 500 },
      }),
    );
    const response = await createSession(
      apiEvent('POST', '/api/session', { body: { username: 'demo', password: 'x' } }),
    );
    expect(response.statusCode).toBe(503);
  });
});

describe('POST /api/session with a second factor', () => {
  it('answers SECOND_FACTOR with a step cookie and stores no session', async () => {
    cognito.on(AdminInitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: 'a' } });
    dynamo.on(QueryCommand).resolves({ Items: [{ pk: 'USER#demo', sk: 'TOTP', confirmed: true }] });
    const response = await createSession(
      apiEvent('POST', '/api/session', { body: { username: 'demo', password: 'Correct-Horse-42' } }),
    );
    expect(response.statusCode).toBe(200);
    expect(parseBody(response)).toMatchObject({ challenge: 'SECOND_FACTOR', methods: ['totp'] });
    expect(response.cookies?.find((c) => c.startsWith('__Host-sa_step='))).toMatch(/HttpOnly; SameSite=Strict/);
    expect(response.cookies?.some((c) => /^__Host-sa_session=[^;]/.test(c))).toBe(false);
    const puts = dynamo.commandCalls(PutCommand).map((call) => String(call.args[0].input.Item?.sk));
    expect(puts).toEqual(['STEP']);
  });
});

describe('POST /api/session/new-password', () => {
  const challenge = newToken();
  const challengeItem = { username: 'demo', challengeSession: 'cognito-session', expiresAt: Date.now() + 60_000 };

  it('refuses a password that breaks the policy, naming the rules, without calling Cognito', async () => {
    dynamo.on(GetCommand).resolves({ Item: challengeItem });
    const response = await choosePassword(
      apiEvent('POST', '/api/session/new-password', {
        body: { newPassword: 'short' },
        cookies: [`__Host-sa_challenge=${challenge}`],
      }),
    );
    expect(response.statusCode).toBe(400);
    const body = parseBody(response);
    expect(body.error).toBe('password_policy');
    expect((body.rules as { rule: string }[]).map((r) => r.rule)).toEqual(['min_length']);
    expect(body.message).toContain('At least 12 characters');
    expect(cognito).not.toHaveReceivedCommand(AdminRespondToAuthChallengeCommand);
  });

  it('answers the challenge and starts a session', async () => {
    dynamo.on(GetCommand).resolves({ Item: challengeItem });
    cognito.on(AdminRespondToAuthChallengeCommand).resolves({ AuthenticationResult: { AccessToken: 'a' } });
    const response = await choosePassword(
      apiEvent('POST', '/api/session/new-password', {
        body: { newPassword: 'My-Own-Password-7' },
        cookies: [`__Host-sa_challenge=${challenge}`],
      }),
    );
    expect(response.statusCode).toBe(200);
    expect(cognito.commandCalls(AdminRespondToAuthChallengeCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'eu-west-1_TEST',
      ClientId: 'test-client',
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: 'cognito-session',
      ChallengeResponses: {
        USERNAME: 'demo',
        NEW_PASSWORD: 'My-Own-Password-7',
        SECRET_HASH: secretHash('demo', 'test-client', 'test-secret'),
      },
    });
    expect(response.cookies).toEqual([
      expect.stringMatching(/^__Host-sa_session=[\w-]{43};/),
      expect.stringMatching(/^__Host-sa_challenge=; .*Max-Age=0/),
      expect.stringMatching(/^__Host-sa_step=; .*Max-Age=0/),
    ]);
  });

  it('answers 401 challenge_expired without the challenge cookie', async () => {
    const response = await choosePassword(
      apiEvent('POST', '/api/session/new-password', { body: { newPassword: 'My-Own-Password-7' } }),
    );
    expect(response.statusCode).toBe(401);
    expect(parseBody(response).error).toBe('challenge_expired');
  });
});

describe('GET and DELETE /api/session', () => {
  const session = newToken();

  it('says who is signed in, and 401 for nobody or an expired session', async () => {
    const live = {
      username: 'demo',
      generation: 3,
      createdAt: 0,
      lastSeenAt: Date.now(),
      expiresAt: Date.now() + 60_000,
    };
    dynamo.on(GetCommand, { Key: { sk: 'SESSION' } }).resolves({ Item: live });
    dynamo.on(GetCommand, { Key: { sk: 'GENERATION' } }).resolves({ Item: { generation: 3 } });
    const ok = await getSession(apiEvent('GET', '/api/session', { cookies: [`__Host-sa_session=${session}`] }));
    expect(parseBody(ok)).toEqual({ username: 'demo' });
    const none = await getSession(apiEvent('GET', '/api/session'));
    expect(none.statusCode).toBe(401);
    dynamo.on(GetCommand, { Key: { sk: 'SESSION' } }).resolves({ Item: { ...live, expiresAt: Date.now() - 1 } });
    const expired = await getSession(apiEvent('GET', '/api/session', { cookies: [`__Host-sa_session=${session}`] }));
    expect(expired.statusCode).toBe(401);
  });

  it('answers 401 for a session issued before the last reset or disable, and for one left idle', async () => {
    const live = {
      username: 'demo',
      generation: 3,
      createdAt: 0,
      lastSeenAt: Date.now(),
      expiresAt: Date.now() + 60_000,
    };
    dynamo.on(GetCommand, { Key: { sk: 'GENERATION' } }).resolves({ Item: { generation: 4 } });
    dynamo.on(GetCommand, { Key: { sk: 'SESSION' } }).resolves({ Item: live });
    const cookies = [`__Host-sa_session=${session}`];
    expect((await getSession(apiEvent('GET', '/api/session', { cookies }))).statusCode).toBe(401);
    expect(dynamo.commandCalls(DeleteCommand)[0]?.args[0].input.Key).toEqual({
      pk: `SESSION#${hashToken(session)}`,
      sk: 'SESSION',
    });
    dynamo.on(GetCommand, { Key: { sk: 'GENERATION' } }).resolves({ Item: { generation: 3 } });
    dynamo
      .on(GetCommand, { Key: { sk: 'SESSION' } })
      .resolves({ Item: { ...live, lastSeenAt: Date.now() - 31 * 60_000 } });
    expect((await getSession(apiEvent('GET', '/api/session', { cookies }))).statusCode).toBe(401);
  });

  it('answers a pending temporary-password sign-in (no session, a live challenge) with who and what is next', async () => {
    const challenge = newToken();
    dynamo.on(GetCommand).resolves({});
    dynamo.on(GetCommand, { Key: { pk: `CHALLENGE#${hashToken(challenge)}`, sk: 'CHALLENGE' } }).resolves({
      Item: { username: 'jane.doe', email: 'jdoe@example.com', challengeSession: 's', expiresAt: Date.now() + 60_000 },
    });
    const pending = await getSession(
      apiEvent('GET', '/api/session', { cookies: [`__Host-sa_challenge=${challenge}`] }),
    );
    expect(pending.statusCode).toBe(200);
    expect(parseBody(pending)).toEqual({
      challenge: 'NEW_PASSWORD_REQUIRED',
      username: 'jane.doe',
      emailLocalPart: 'jdoe',
    });
    // A spent or expired challenge: nobody.
    dynamo.on(GetCommand, { Key: { pk: `CHALLENGE#${hashToken(challenge)}`, sk: 'CHALLENGE' } }).resolves({});
    const gone = await getSession(apiEvent('GET', '/api/session', { cookies: [`__Host-sa_challenge=${challenge}`] }));
    expect(gone.statusCode).toBe(401);
  });

  it('ignores a cookie without the __Host- prefix when the site is https', async () => {
    dynamo.on(GetCommand).resolves({ Item: { username: 'demo', createdAt: 0, expiresAt: Date.now() + 60_000 } });
    const response = await getSession(apiEvent('GET', '/api/session', { cookies: [`sa_session=${session}`] }));
    expect(response.statusCode).toBe(401);
  });

  it('deletes the session on the server and clears the cookie', async () => {
    const response = await deleteSession(
      apiEvent('DELETE', '/api/session', { cookies: [`__Host-sa_session=${session}`] }),
    );
    expect(response.statusCode).toBe(200);
    expect(dynamo.commandCalls(DeleteCommand)[0]?.args[0].input.Key).toEqual({
      pk: `SESSION#${hashToken(session)}`,
      sk: 'SESSION',
    });
    expect(response.cookies).toEqual([expect.stringMatching(/^__Host-sa_session=; .*Max-Age=0/)]);
  });

  it('refuses a sign-out forged from another site', async () => {
    const response = await deleteSession(
      apiEvent('DELETE', '/api/session', {
        cookies: [`__Host-sa_session=${session}`],
        headers: { origin: 'https://evil.example' },
      }),
    );
    expect(response.statusCode).toBe(403);
    expect(dynamo).not.toHaveReceivedCommand(DeleteCommand);
  });
});
