// Cognito user pool adapter. Maps Cognito's answers and exceptions to the domain's outcomes, so
// no SDK message reaches a handler.
import {
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ChallengeExpired, PasswordPolicyViolation } from '../domain/errors';
import type { PortalUser, SignInOutcome, UserDirectory } from '../domain/ports';

// Conservative: anything else is not looked up at all (and cannot inject into a ListUsers filter).
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

function attribute(attributes: AttributeType[] | undefined, name: string): string | undefined {
  return attributes?.find((a) => a.Name === name)?.Value;
}

function nameOf(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

export class CognitoUserDirectory implements UserDirectory {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
    private readonly clientId: string,
    /** false only where the service lacks the call (cognito-local); real Cognito always has it. */
    private readonly globalSignOut = true,
  ) {}

  async signOutEverywhere(username: string): Promise<void> {
    if (!this.globalSignOut) return;
    await this.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: username }));
  }

  async findByLogin(login: string): Promise<PortalUser | undefined> {
    if (login.includes('@')) return this.findByEmail(login);
    try {
      const user = await this.cognito.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: login }));
      const email = attribute(user.UserAttributes, 'email');
      if (!user.Username || !email) return undefined;
      const name = attribute(user.UserAttributes, 'name');
      return { username: user.Username, email, enabled: user.Enabled !== false, ...(name ? { name } : {}) };
    } catch (error) {
      if (nameOf(error) === 'UserNotFoundException') return undefined;
      throw error;
    }
  }

  private async findByEmail(email: string): Promise<PortalUser | undefined> {
    if (!EMAIL.test(email)) return undefined;
    const { Users = [] } = await this.cognito.send(
      new ListUsersCommand({ UserPoolId: this.userPoolId, Filter: `email = "${email}"`, Limit: 2 }),
    );
    // Two accounts sharing an address is a data problem; sending either a link would be a guess.
    if (Users.length !== 1) return undefined;
    const [user] = Users;
    const address = attribute(user?.Attributes, 'email');
    if (!user?.Username || !address) return undefined;
    const name = attribute(user.Attributes, 'name');
    return { username: user.Username, email: address, enabled: user.Enabled !== false, ...(name ? { name } : {}) };
  }

  async setTemporaryPassword(username: string, password: string): Promise<void> {
    await this.cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: this.userPoolId,
        Username: username,
        Password: password,
        Permanent: false,
      }),
    );
  }

  async signIn(username: string, password: string): Promise<SignInOutcome> {
    try {
      const result = await this.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: this.clientId,
          AuthParameters: { USERNAME: username, PASSWORD: password },
        }),
      );
      return this.outcome(username, result.ChallengeName, result.Session, result.AuthenticationResult !== undefined);
    } catch (error) {
      // One answer for every way the pair can be wrong: no hint that the user exists.
      const name = nameOf(error);
      if (
        name === 'NotAuthorizedException' ||
        name === 'UserNotFoundException' ||
        name === 'UserNotConfirmedException' ||
        name === 'PasswordResetRequiredException' ||
        name === 'InvalidParameterException' ||
        // cognito-local's answer to a wrong password (Cognito itself says NotAuthorizedException).
        name === 'InvalidPasswordException'
      ) {
        return { kind: 'invalid_credentials' };
      }
      throw error;
    }
  }

  async completeNewPassword(username: string, challengeSession: string, newPassword: string): Promise<SignInOutcome> {
    try {
      const result = await this.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: this.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challengeSession,
          ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
        }),
      );
      return this.outcome(username, result.ChallengeName, result.Session, result.AuthenticationResult !== undefined);
    } catch (error) {
      const name = nameOf(error);
      if (name === 'InvalidPasswordException') throw new PasswordPolicyViolation(['user_pool_policy']);
      if (name === 'NotAuthorizedException' || name === 'CodeMismatchException' || name === 'ExpiredCodeException') {
        throw new ChallengeExpired();
      }
      throw error;
    }
  }

  private outcome(
    username: string,
    challenge: string | undefined,
    session: string | undefined,
    authenticated: boolean,
  ): SignInOutcome {
    if (challenge === 'NEW_PASSWORD_REQUIRED' && session) {
      return { kind: 'new_password_required', username, challengeSession: session };
    }
    if (authenticated) return { kind: 'signed_in', username };
    // MFA or another challenge this portal does not offer: refuse rather than half sign in.
    throw new Error(`unsupported sign-in challenge ${challenge ?? 'none'}`);
  }
}
