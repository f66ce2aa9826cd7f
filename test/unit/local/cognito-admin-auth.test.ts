import { secretHash } from '../../../lambdas/adapters/cognito-directory';
import { cognitoAdminAuth } from '../../../local/cognito-admin-auth';

const rewrite = cognitoAdminAuth(new Map([['client1', 'secret1']]));
const call = (action: string, body: unknown) =>
  rewrite(`AWSCognitoIdentityProviderService.${action}`, Buffer.from(JSON.stringify(body)));

describe('the local stand-in for Cognito admin sign-in', () => {
  it('checks the secret hash as Cognito does, refusing a wrong or missing one', () => {
    for (const hash of ['wrong', undefined]) {
      const answer = call('AdminInitiateAuth', {
        UserPoolId: 'p',
        ClientId: 'client1',
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'alice', PASSWORD: 'x', ...(hash ? { SECRET_HASH: hash } : {}) },
      });
      expect(answer).toEqual({ reply: expect.objectContaining({ type: 'NotAuthorizedException' }) });
    }
  });

  it('hands a correctly signed call to the public flow cognito-local implements', () => {
    const answer = call('AdminRespondToAuthChallenge', {
      UserPoolId: 'p',
      ClientId: 'client1',
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: 'S',
      ChallengeResponses: {
        USERNAME: 'alice',
        NEW_PASSWORD: 'n',
        SECRET_HASH: secretHash('alice', 'client1', 'secret1'),
      },
    });
    if (!answer || !('forward' in answer)) throw new Error('expected a forwarded call');
    expect(answer.forward.target).toBe('AWSCognitoIdentityProviderService.RespondToAuthChallenge');
    expect(JSON.parse(answer.forward.body.toString())).toEqual({
      ClientId: 'client1',
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: 'S',
      ChallengeResponses: { USERNAME: 'alice', NEW_PASSWORD: 'n' },
    });
  });

  it('leaves every other call alone', () => {
    expect(call('AdminGetUser', { UserPoolId: 'p', Username: 'alice' })).toBeUndefined();
  });
});
