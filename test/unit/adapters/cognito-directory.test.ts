// The Cognito adapter against the real service's semantics (cognito-local is lenient: it ignores
// SECRET_HASH and lacks the admin challenge), with a mocked client.
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CognitoUserDirectory, clientSecretReader, secretHash } from '../../../lambdas/adapters/cognito-directory';

const cognito = mockClient(CognitoIdentityProviderClient);
const client = new CognitoIdentityProviderClient({ region: 'eu-west-1' });

function directory() {
  return new CognitoUserDirectory(client, {
    userPoolId: 'eu-west-1_POOL',
    clientId: '1example23456789',
    clientSecret: clientSecretReader(client, 'eu-west-1_POOL', '1example23456789'),
  });
}

beforeEach(() => {
  cognito.reset();
  cognito.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientSecret: '7nq3s3cr3t' } });
});

describe('the Cognito directory', () => {
  it("computes Cognito's SECRET_HASH (a vector computed independently with Python's hmac)", () => {
    expect(secretHash('alice', '1example23456789', '7nq3s3cr3t')).toBe('Zl5Hug1j3DuMrZG92TSZw/zqbX+KYxxVXde7Ati2ERQ=');
  });

  it('signs in only through the admin flow, with the secret hash, never the public InitiateAuth', async () => {
    cognito.on(AdminInitiateAuthCommand).resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'S1' });
    await expect(directory().signIn('alice', 'Temp-Pass-123')).resolves.toEqual({
      kind: 'new_password_required',
      username: 'alice',
      challengeSession: 'S1',
    });
    expect(cognito).toHaveReceivedCommandWith(AdminInitiateAuthCommand, {
      UserPoolId: 'eu-west-1_POOL',
      ClientId: '1example23456789',
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: {
        USERNAME: 'alice',
        PASSWORD: 'Temp-Pass-123',
        SECRET_HASH: 'Zl5Hug1j3DuMrZG92TSZw/zqbX+KYxxVXde7Ati2ERQ=',
      },
    });
    expect(cognito).not.toHaveReceivedCommand(InitiateAuthCommand);
  });

  it('answers the challenge with AdminRespondToAuthChallenge and the secret hash', async () => {
    cognito.on(AdminRespondToAuthChallengeCommand).resolves({ AuthenticationResult: { AccessToken: 'a' } });
    await expect(directory().completeNewPassword('alice', 'S1', 'My-Own-Password-7')).resolves.toEqual({
      kind: 'signed_in',
      username: 'alice',
    });
    expect(cognito).toHaveReceivedCommandWith(AdminRespondToAuthChallengeCommand, {
      UserPoolId: 'eu-west-1_POOL',
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: 'S1',
      ChallengeResponses: {
        USERNAME: 'alice',
        NEW_PASSWORD: 'My-Own-Password-7',
        SECRET_HASH: 'Zl5Hug1j3DuMrZG92TSZw/zqbX+KYxxVXde7Ati2ERQ=',
      },
    });
  });

  it('maps a wrong hash, a wrong password and a disabled user (NotAuthorizedException in AWS) to one answer', async () => {
    cognito
      .on(AdminInitiateAuthCommand)
      .rejects(Object.assign(new Error('Unable to verify secret hash for client'), { name: 'NotAuthorizedException' }));
    await expect(directory().signIn('alice', 'x')).resolves.toEqual({ kind: 'invalid_credentials' });
  });

  it('reads the client secret once per container, and again after a failed read', async () => {
    cognito.on(AdminInitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: 'a' } });
    cognito
      .on(DescribeUserPoolClientCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'TooManyRequestsException', $metadata: {} }))
      .resolves({ UserPoolClient: { ClientSecret: '7nq3s3cr3t' } });
    const users = directory();
    await expect(users.signIn('alice', 'p')).rejects.toThrow('throttled');
    await users.signIn('alice', 'p');
    await users.signIn('bob', 'p');
    expect(cognito).toHaveReceivedCommandTimes(DescribeUserPoolClientCommand, 2);
  });

  it('says what to do when the app client has no secret', async () => {
    cognito.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: {} });
    await expect(directory().signIn('alice', 'p')).rejects.toThrow(/generateSecret/);
  });

  it('finds an account by email only when the address is verified', async () => {
    const user = (verified: string | undefined) => ({
      Users: [
        {
          Username: 'alice',
          Enabled: true,
          Attributes: [
            { Name: 'email', Value: 'alice@example.com' },
            ...(verified ? [{ Name: 'email_verified', Value: verified }] : []),
          ],
        },
      ],
    });
    cognito.on(ListUsersCommand).resolves(user('true'));
    await expect(directory().findByLogin('alice@example.com')).resolves.toMatchObject({ username: 'alice' });
    for (const verified of ['false', undefined]) {
      cognito.on(ListUsersCommand).resolves(user(verified));
      await expect(directory().findByLogin('alice@example.com')).resolves.toBeUndefined();
    }
    // Looking up never needs the secret.
    expect(cognito).not.toHaveReceivedCommand(DescribeUserPoolClientCommand);
  });
});
