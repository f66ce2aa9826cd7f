// Cognito user pool adapter. Maps Cognito's answers and exceptions to the domain's outcomes, so
// no SDK message reaches a handler. Sign-in uses the admin flows only (AdminInitiateAuth with
// ADMIN_USER_PASSWORD_AUTH, AdminRespondToAuthChallenge), which need IAM credentials and the app
// client's secret: nobody holding just the client id can reach the pool around our checks.
import { createHmac } from 'node:crypto';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { isCognitoUsername, listUsersEqualsFilter } from '../definitions/aws-input-rules';
import { serverOnlyRules } from '../definitions/password-policy';
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

/** Cognito's SECRET_HASH: Base64(HMAC-SHA256(client secret, username + client id)). */
export function secretHash(username: string, clientId: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(`${username}${clientId}`).digest('base64');
}

/**
 * The app client's secret, read once per container with DescribeUserPoolClient (an IAM grant the
 * signing-in functions alone have), so it is never in the template, an environment variable or
 * the code. A failed read is retried on the next sign-in.
 */
export function clientSecretReader(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  clientId: string,
): () => Promise<string> {
  let secret: Promise<string> | undefined;
  return () => {
    secret ??= cognito
      .send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }))
      .then(({ UserPoolClient }) => {
        if (!UserPoolClient?.ClientSecret) {
          throw new Error(
            `the app client ${clientId} has no secret: create it with generateSecret (lib/constructs/users.ts)`,
          );
        }
        return UserPoolClient.ClientSecret;
      });
    secret.catch(() => {
      secret = undefined;
    });
    return secret;
  };
}

export interface CognitoDirectoryOptions {
  readonly userPoolId: string;
  readonly clientId: string;
  /** The app client's secret; asked for only when signing in. */
  readonly clientSecret: () => Promise<string>;
  /** false only where the service lacks the call (cognito-local); real Cognito always has it. */
  readonly globalSignOut?: boolean;
}

export class CognitoUserDirectory implements UserDirectory {
  private readonly userPoolId: string;
  private readonly clientId: string;
  private readonly clientSecret: () => Promise<string>;
  private readonly globalSignOut: boolean;

  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    options: CognitoDirectoryOptions,
  ) {
    this.userPoolId = options.userPoolId;
    this.clientId = options.clientId;
    this.clientSecret = options.clientSecret;
    this.globalSignOut = options.globalSignOut ?? true;
  }

  private async hashFor(username: string): Promise<string> {
    return secretHash(username, this.clientId, await this.clientSecret());
  }

  async signOutEverywhere(username: string): Promise<void> {
    if (!this.globalSignOut) return;
    await this.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: username }));
  }

  async findByLogin(login: string): Promise<PortalUser | undefined> {
    if (login.includes('@')) return this.findByEmail(login);
    // Cognito refuses such a username (InvalidParameterException); no account can have it.
    if (!isCognitoUsername(login)) return undefined;
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
    const filter = EMAIL.test(email) ? listUsersEqualsFilter('email', email) : undefined;
    if (!filter) return undefined;
    const { Users = [] } = await this.cognito.send(
      new ListUsersCommand({ UserPoolId: this.userPoolId, Filter: filter, Limit: 2 }),
    );
    // Two accounts sharing an address is a data problem; sending either a link would be a guess.
    if (Users.length !== 1) return undefined;
    const [user] = Users;
    const address = attribute(user?.Attributes, 'email');
    if (!user?.Username || !address) return undefined;
    // Only an address someone proved they own finds an account (ops create users with it
    // verified; users cannot write attributes): an unverified one could be anybody's.
    if (attribute(user.Attributes, 'email_verified') !== 'true') return undefined;
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
    // The same refusal as a wrong pair, without the call Cognito would refuse as invalid input.
    if (!isCognitoUsername(username)) return { kind: 'invalid_credentials' };
    try {
      const result = await this.cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: this.userPoolId,
          ClientId: this.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: await this.hashFor(username) },
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
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: this.userPoolId,
          ClientId: this.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challengeSession,
          ChallengeResponses: {
            USERNAME: username,
            NEW_PASSWORD: newPassword,
            SECRET_HASH: await this.hashFor(username),
          },
        }),
      );
      return this.outcome(username, result.ChallengeName, result.Session, result.AuthenticationResult !== undefined);
    } catch (error) {
      const name = nameOf(error);
      if (name === 'InvalidPasswordException') throw new PasswordPolicyViolation([serverOnlyRules.userPoolPolicy]);
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
