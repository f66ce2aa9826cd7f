// The Cognito user pool the portal's accounts live in, and the one app client the API signs in with.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { cognitoTemporaryPasswordDays, lifetimeDefaults } from '../../lambdas/definitions/lifetimes';
import { passwordPolicy } from '../../lambdas/definitions/password-policy';

export class Users extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, props: { readonly temporaryPasswordMinutes: number }) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      // Accounts are created by the support team (README: seeding users), never by visitors.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: passwordPolicy.minLength,
        requireLowercase: passwordPolicy.requireLowercase,
        requireUppercase: passwordPolicy.requireUppercase,
        requireDigits: passwordPolicy.requireDigits,
        requireSymbols: passwordPolicy.requireSymbols,
        // Set, not left at Cognito's 7 days: the app enforces its 60 minutes (TEMPORARY_PASSWORD_MINUTES,
        // at most a day) from its own record, and Cognito's whole day is the outer bound.
        tempPasswordValidity: Duration.days(cognitoTemporaryPasswordDays(props.temporaryPasswordMinutes)),
      },
      // Recovery is the portal's own reset flow; Cognito's ForgotPassword would be a second,
      // unmonitored way in, so it is switched off.
      accountRecovery: AccountRecovery.NONE,
      // The sign-in API answers only NEW_PASSWORD_REQUIRED; an MFA challenge would lock users out.
      mfa: Mfa.OFF,
      // Lite covers everything used here (admin APIs, ADMIN_USER_PASSWORD_AUTH); Essentials and Plus bill
      // per active user for features the portal does not call.
      featurePlan: FeaturePlan.LITE,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.client = this.userPool.addClient('ApiClient', {
      // A server-side client reached only through our functions: the admin flow needs IAM
      // credentials (AdminInitiateAuth) and the secret (read at run time with
      // DescribeUserPoolClient, never put in the template), so the client id alone opens nothing.
      authFlows: { adminUserPassword: true },
      generateSecret: true,
      // Users write no attributes (their email is set, verified, by ops); reads stay default.
      writeAttributes: new ClientAttributes(),
      preventUserExistenceErrors: true,
      disableOAuth: true,
      enableTokenRevocation: true,
      // Cognito's challenge session; the portal's challenge cookie lives exactly as long.
      authSessionValidity: Duration.seconds(lifetimeDefaults.challengeSeconds),
      // The API keeps its own server-side session and discards Cognito's tokens, so they get the
      // shortest lifetimes Cognito allows.
      accessTokenValidity: Duration.minutes(5),
      idTokenValidity: Duration.minutes(5),
      refreshTokenValidity: Duration.minutes(60),
    });
  }
}
