// Cognito adapter for account administration: the existing-account check of a credential request,
// and what the ops CLI does (create, delete a half-created one, list, disable, enable).
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { listUsersEqualsFilter } from '../definitions/aws-input-rules';
import { EMAIL_ADDRESS } from '../definitions/credential-request';
import type { AccountAdmin, AccountSummary, PortalUser } from '../domain/ports';

function attribute(attributes: AttributeType[] | undefined, name: string): string | undefined {
  return attributes?.find((a) => a.Name === name)?.Value;
}

function summary(user: UserType): AccountSummary {
  return {
    username: user.Username ?? '',
    email: attribute(user.Attributes, 'email') ?? '',
    enabled: user.Enabled !== false,
    status: user.UserStatus ?? 'UNKNOWN',
    createdAt: user.UserCreateDate?.getTime(),
    fullName: attribute(user.Attributes, 'name'),
  };
}

export class CognitoAccountAdmin implements AccountAdmin {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async usersWithEmail(email: string): Promise<PortalUser[]> {
    const address = email.trim().toLowerCase();
    // Validated addresses only: nothing else can reach the filter expression.
    const filter = EMAIL_ADDRESS.test(address) ? listUsersEqualsFilter('email', address) : undefined;
    if (!filter) return [];
    const { Users = [] } = await this.cognito.send(
      new ListUsersCommand({ UserPoolId: this.userPoolId, Filter: filter, Limit: 10 }),
    );
    return Users.map(summary).map(({ username, email: userEmail, enabled }) => ({
      username,
      email: userEmail,
      enabled,
    }));
  }

  async createUser(user: { username: string; email: string; fullName: string }): Promise<'created' | 'taken'> {
    try {
      await this.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: user.username,
          UserAttributes: [
            { Name: 'email', Value: user.email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: user.fullName },
          ],
          // The portal sends its own welcome email with its own temporary password.
          MessageAction: 'SUPPRESS',
        }),
      );
      return 'created';
    } catch (error) {
      if (error instanceof Error && error.name === 'UsernameExistsException') return 'taken';
      throw error;
    }
  }

  async deleteUser(username: string): Promise<void> {
    await this.cognito.send(new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: username }));
  }

  async listUsers(): Promise<AccountSummary[]> {
    const users: AccountSummary[] = [];
    let token: string | undefined;
    do {
      const page = await this.cognito.send(
        new ListUsersCommand({ UserPoolId: this.userPoolId, Limit: 60, ...(token ? { PaginationToken: token } : {}) }),
      );
      users.push(...(page.Users ?? []).map(summary));
      token = page.PaginationToken;
    } while (token);
    return users.sort((a, b) => a.username.localeCompare(b.username));
  }

  async setEnabled(username: string, enabled: boolean): Promise<void> {
    const input = { UserPoolId: this.userPoolId, Username: username };
    await this.cognito.send(enabled ? new AdminEnableUserCommand(input) : new AdminDisableUserCommand(input));
  }
}
