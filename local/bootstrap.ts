// Creates in the emulators what the CDK stack creates in AWS, from the same definitions: the table,
// the user pool and its client, the email templates; and a demo user to try the journey with.
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateEmailTemplateCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { tableKeys } from '../lambdas/adapters/dynamodb-store';
import { cognitoTemporaryPasswordDays, lifetimeDefaults } from '../lambdas/definitions/lifetimes';
import { passwordPolicy } from '../lambdas/definitions/password-policy';
import { newTemporaryPassword } from '../lambdas/domain/secrets';
import { emailTemplateContents } from '../lib/email-template-files';
import { LOCAL_ADMIN_ACCESS_KEY } from './iam/admin-key';

export interface LocalEndpoints {
  readonly dynamodb: string;
  readonly cognito: string;
  readonly ses: string;
}

export interface Bootstrapped {
  readonly tableName: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** The app client's secret: the functions read it with DescribeUserPoolClient, as in AWS. */
  readonly clientSecret: string;
  readonly templatePrefix: string;
  readonly demo: { readonly username: string; readonly email: string; readonly password: string };
}

const common = {
  region: 'eu-west-1',
  credentials: { accessKeyId: LOCAL_ADMIN_ACCESS_KEY, secretAccessKey: 'local' },
  maxAttempts: 1,
};

export async function createTable(endpoint: string, tableName: string): Promise<void> {
  const dynamo = new DynamoDBClient({ ...common, endpoint });
  const { partitionKey, sortKey, userIndex } = tableKeys;
  await dynamo.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [partitionKey, sortKey, userIndex.partitionKey, userIndex.sortKey].map((name) => ({
        AttributeName: name,
        AttributeType: 'S',
      })),
      KeySchema: [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: userIndex.name,
          KeySchema: [
            { AttributeName: userIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: userIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  dynamo.destroy();
}

/** templatePrefix: the deployed template's EMAIL_TEMPLATE_PREFIX, so the IAM grants on template names apply. */
export async function bootstrap(endpoints: LocalEndpoints, templatePrefix = 'support-access'): Promise<Bootstrapped> {
  const tableName = 'support-access';
  await createTable(endpoints.dynamodb, tableName);

  const cognito = new CognitoIdentityProviderClient({ ...common, endpoint: endpoints.cognito });
  const { UserPool } = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'support-access',
      Policies: {
        PasswordPolicy: {
          MinimumLength: passwordPolicy.minLength,
          RequireLowercase: passwordPolicy.requireLowercase,
          RequireUppercase: passwordPolicy.requireUppercase,
          RequireNumbers: passwordPolicy.requireDigits,
          RequireSymbols: passwordPolicy.requireSymbols,
          TemporaryPasswordValidityDays: cognitoTemporaryPasswordDays(lifetimeDefaults.temporaryPasswordMinutes),
        },
      },
      UsernameConfiguration: { CaseSensitive: false },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    }),
  );
  const userPoolId = UserPool?.Id;
  if (!userPoolId) throw new Error('cognito-local created no user pool');
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'support-access-web',
      // As lib/constructs/users.ts: admin auth only, a secret, no attribute writes.
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      GenerateSecret: true,
      WriteAttributes: [],
      PreventUserExistenceErrors: 'ENABLED',
    }),
  );
  const clientId = UserPoolClient?.ClientId;
  const clientSecret = UserPoolClient?.ClientSecret;
  if (!clientId || !clientSecret) throw new Error('cognito-local created no user pool client with a secret');

  const ses = new SESv2Client({ ...common, endpoint: endpoints.ses });
  for (const template of emailTemplateContents(templatePrefix)) {
    await ses.send(
      new CreateEmailTemplateCommand({
        TemplateName: template.name,
        TemplateContent: { Subject: template.subject, Html: template.html, Text: template.text },
      }),
    );
  }
  ses.destroy();

  const demo = { username: 'demo', email: 'demo@example.com', password: newTemporaryPassword() };
  await createUser(cognito, userPoolId, demo);
  cognito.destroy();
  return { tableName, userPoolId, clientId, clientSecret, templatePrefix, demo };
}

export async function createUser(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  user: { username: string; email: string; password: string },
): Promise<void> {
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: user.username,
      UserAttributes: [
        { Name: 'email', Value: user.email },
        { Name: 'email_verified', Value: 'true' },
      ],
      MessageAction: 'SUPPRESS',
    }),
  );
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: user.username,
      Password: user.password,
      Permanent: true,
    }),
  );
}
