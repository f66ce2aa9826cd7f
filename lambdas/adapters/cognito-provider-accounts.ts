// Reads a person's claims for the OpenID Provider from the user pool. AdminGetUser takes the
// username or the `sub` (Cognito documents `sub` as a valid Username value), so one call serves both.
import { AdminGetUserCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { ProviderAccount, ProviderAccounts } from '../domain/ports';

// Usernames and subs are both from this set; anything else is not sent to Cognito at all.
const LOOKUP = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

export class CognitoProviderAccounts implements ProviderAccounts {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async find(usernameOrSub: string): Promise<ProviderAccount | undefined> {
    if (!LOOKUP.test(usernameOrSub)) return undefined;
    try {
      const user = await this.cognito.send(
        new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: usernameOrSub }),
      );
      const attribute = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
      const sub = attribute('sub');
      if (!user.Username || !sub) return undefined;
      return {
        sub,
        username: user.Username,
        email: attribute('email'),
        emailVerified: attribute('email_verified') === 'true',
        name: attribute('name'),
        enabled: user.Enabled !== false,
      };
    } catch (error) {
      if (error instanceof Error && error.name === 'UserNotFoundException') return undefined;
      throw error;
    }
  }
}
