// What each Lambda function may touch, in one table: the IAM actions it calls, on only its
// resources, and the environment variables that point it at them. A handler that starts calling
// something new gets one line here (and a test in test/infra/ fails until it does).
import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { tableKeys } from '../lambdas/adapters/dynamodb-store';
import type { EmailTemplateId } from '../lambdas/definitions/email-templates';
import { type apiRoutes, type providerFunction, queueConsumers } from '../lambdas/definitions/routes';

export type HandlerName =
  | (typeof apiRoutes)[keyof typeof apiRoutes]['handler']
  | (typeof queueConsumers)[keyof typeof queueConsumers]['handler']
  | (typeof providerFunction)['handler'];

type TableAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  /** On the table itself: a user's second factors share one partition (USER#<username>). */
  | 'dynamodb:Query';
type FactorKeyAction = 'kms:Encrypt' | 'kms:Decrypt';
type UserPoolAction =
  | 'cognito-idp:AdminGetUser'
  | 'cognito-idp:ListUsers'
  | 'cognito-idp:AdminSetUserPassword'
  | 'cognito-idp:AdminUserGlobalSignOut'
  | 'cognito-idp:AdminInitiateAuth'
  | 'cognito-idp:AdminRespondToAuthChallenge'
  | 'cognito-idp:DescribeUserPoolClient';

export interface FunctionAccess {
  /** Item actions on the table (sets TABLE_NAME). */
  readonly table?: readonly TableAction[];
  /** dynamodb:Query on the byUser index, to find a user's other reset links. */
  readonly queryUserIndex?: true;
  /**
   * Admin actions on the user pool. Present, even empty, sets USER_POOL_ID and USER_POOL_CLIENT_ID.
   * Signing in is admin-only (AdminInitiateAuth, AdminRespondToAuthChallenge), with the client
   * secret read by DescribeUserPoolClient: each is granted to the one function that calls it.
   */
  readonly userPool?: readonly UserPoolAction[];
  /** sqs:SendMessage to the reset-request queue (sets RESET_QUEUE_URL). */
  readonly sendToResetQueue?: true;
  /** ses:SendEmail with these templates only, from the sender address only (sets the mail variables). */
  readonly sendEmails?: readonly EmailTemplateId[];
  /** Announces credential requests to the ops address (sets OPS_EMAIL and OPS_COMMAND_ARGS). */
  readonly notifyOps?: true;
  /** Seals or opens second-factor secrets with the factor key (sets FACTOR_KEY_ID). */
  readonly factorKey?: readonly FactorKeyAction[];
  /** secretsmanager:GetSecretValue on the OpenID Provider's key secret (sets OIDC_KEYS_SECRET). */
  readonly readProviderKeys?: true;
}

// Sign-in may end in the second step: it reads the user's factors (Query on their partition) and
// stores the step; a new session deletes the one it replaces.
const SIGN_IN_TABLE: readonly TableAction[] = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
];

// Each change to how a person signs in is confirmed by email: the account's address is read with
// AdminGetUser, and only the security notice may be sent.
const SECURITY_NOTICE = {
  userPool: ['cognito-idp:AdminGetUser'],
  sendEmails: ['securityNotice'],
} as const satisfies FunctionAccess;

// Every HTTP handler counts requests per source IP first: an atomic UpdateItem on a RATE# item.
export const functionAccess: Readonly<Record<HandlerName, FunctionAccess>> = {
  'password-reset-request': { table: ['dynamodb:UpdateItem'], sendToResetQueue: true },
  // Reads an old link (a new one asked from it), counts emails per account, stores the new link,
  // revokes the user's other links.
  [queueConsumers.resetRequests.handler]: {
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    queryUserIndex: true,
    userPool: ['cognito-idp:AdminGetUser', 'cognito-idp:ListUsers'],
    sendEmails: ['resetLink'],
  },
  // Claims the link, ends the user's sessions (here, in Cognito and in the tools: the provider's
  // sessions and grants found through the byUser index, a back-channel logout token signed with
  // the provider's key), records the temporary password's hash, sets it in Cognito, revokes the
  // other links.
  'password-reset-confirm': {
    readProviderKeys: true,
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    queryUserIndex: true,
    // The link holds a username (never an address), so the account is read with AdminGetUser only.
    userPool: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminUserGlobalSignOut', 'cognito-idp:AdminSetUserPassword'],
    sendEmails: ['newPassword'],
  },
  // Reads and counts sign-in failures, reads the temporary-password record and the credential
  // generation, stores the session or challenge and deletes the session it replaces; ListUsers:
  // an email address signs in as the account that owns it.
  'session-create': {
    table: SIGN_IN_TABLE,
    // AdminGetUser: a username signs in as that account (findByLogin).
    userPool: [
      'cognito-idp:AdminGetUser',
      'cognito-idp:ListUsers',
      'cognito-idp:AdminInitiateAuth',
      'cognito-idp:DescribeUserPoolClient',
    ],
  },
  // Reads and ends the challenge, reads and clears the temporary-password record, stores the
  // session and deletes the one it replaces (or stores the second step, when the account has a
  // factor: a reset never bypasses it).
  'session-new-password': {
    table: SIGN_IN_TABLE,
    userPool: ['cognito-idp:AdminRespondToAuthChallenge', 'cognito-idp:DescribeUserPoolClient'],
  },
  // Reads the step and the factor, opens the secret, spends the step or the recovery code
  // (conditional UpdateItem), counts failures, ends the step, stores the session and deletes the
  // one it replaces.
  'session-second-factor': {
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    factorKey: ['kms:Decrypt'],
    ...SECURITY_NOTICE,
  },
  // Who is signed in, their factors and sessions (byUser index).
  // userPool: [] gives the pool's ids only (the session handlers' shared wiring reads them), no action.
  'account-get': {
    table: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
    queryUserIndex: true,
    userPool: [],
  },
  // Seals a new secret and stores it unconfirmed (a session, or the enrolment step of a sign-in).
  'account-totp-start': {
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    factorKey: ['kms:Encrypt'],
    userPool: [],
  },
  // Opens the secret, checks the first code, confirms, issues recovery codes; during a required
  // enrolment also ends the step and stores the session.
  'account-totp-confirm': {
    table: SIGN_IN_TABLE,
    factorKey: ['kms:Decrypt'],
    ...SECURITY_NOTICE,
  },
  // Checks a current code, then removes the authenticator and the recovery codes.
  'account-totp-remove': {
    table: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
    factorKey: ['kms:Decrypt'],
    ...SECURITY_NOTICE,
  },
  // New recovery codes: puts the new ones, deletes the old.
  'account-recovery-codes': { table: SIGN_IN_TABLE, ...SECURITY_NOTICE },
  // Ends the user's other sessions (byUser index).
  'account-sessions-revoke': {
    table: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    queryUserIndex: true,
    ...SECURITY_NOTICE,
  },
  // Passkey options: stores the ceremony's challenge; as the second step, reads the step and lists
  // the user's passkeys (their partition) to name them to the browser.
  'session-passkey-options': {
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
    userPool: [],
  },
  // Sign-in with a passkey: spends the challenge (conditional DeleteItem), finds whose passkey it
  // is, checks the signature and spends the counter (UpdateItem), checks the account is enabled
  // (AdminGetUser), reads the credential generation, stores the session, deletes the one it replaces.
  'session-passkey': {
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    userPool: ['cognito-idp:AdminGetUser'],
  },
  // Registration options: the session, the user's passkeys (excluded from a new registration),
  // the challenge.
  'account-passkey-options': {
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
    userPool: [],
  },
  // Spends the challenge, checks the answer, counts the user's passkeys, stores the passkey and its
  // lookup item; a security notice confirms it.
  'account-passkey-add': {
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
    ...SECURITY_NOTICE,
  },
  // Reads the passkey (its name, for the notice), deletes it and its lookup item.
  'account-passkey-remove': {
    table: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    ...SECURITY_NOTICE,
  },
  // Reads the session and the credential generation, slides the idle timeout (UpdateItem), deletes
  // a dead session.
  'session-get': { table: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], userPool: [] },
  // Ends the session; reads it first to know whose tool sessions to end too (the account's sub
  // by AdminGetUser, its provider sessions and grants by the byUser index, the tools' registrations,
  // a logout token signed with the provider's key).
  'session-delete': {
    table: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    queryUserIndex: true,
    userPool: ['cognito-idp:AdminGetUser'],
    readProviderKeys: true,
  },
  // The OpenID Provider: its models in the table (codes, tokens, sessions, grants, registered
  // clients; consumed in place, listed by grant and account through the byUser index), the
  // Support Access session that answers a login, the person's claims (AdminGetUser), its keys.
  'oidc-provider': {
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    queryUserIndex: true,
    userPool: ['cognito-idp:AdminGetUser'],
    readProviderKeys: true,
  },
  // Stores the request and lists it under its address (or removes both again when the ops email
  // fails), reads the address's pending requests with one GetItem (no index query: bounded work),
  // flags an existing account (ListUsers), tells ops.
  'credential-request': {
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    userPool: ['cognito-idp:ListUsers'],
    sendEmails: ['credentialRequestOps'],
    notifyOps: true,
  },
};

/** Settings every function reads (lambdas/config.ts), the same for all of them. */
export interface SiteSettings {
  readonly siteUrl: string;
  readonly portalName: string;
  readonly primaryColour: string;
  readonly resetTokenMinutes: number;
  readonly temporaryPasswordMinutes: number;
  readonly sessionMinutes: number;
  readonly sessionIdleMinutes: number;
  /** RATE_LIMITS overrides (JSON), when the deployment sets any. */
  readonly rateLimits: string | undefined;
  /** Everyone must have a second factor (set up at the next sign-in). */
  readonly requireSecondFactor: boolean;
}

/** The deployed resources the table above refers to, by name and ARN. */
export interface AccessTargets {
  readonly site: SiteSettings;
  readonly table: { readonly tableName: string; readonly tableArn: string };
  readonly userPool: { readonly userPoolId: string; readonly userPoolArn: string; readonly clientId: string };
  readonly resetQueue: { readonly queueUrl: string; readonly queueArn: string };
  /** The KMS key that seals second-factor secrets. */
  readonly factorKey: { readonly keyArn: string };
  /** The OpenID Provider's key set (signing and cookie keys), one Secrets Manager secret. */
  readonly providerKeys: { readonly secretArn: string };
  /** Where credential requests are announced, and how the ops CLI reaches this stack. */
  readonly ops: { readonly email: string; readonly commandArgs: string };
  readonly mail: {
    readonly senderEmail: string;
    /** SES identities SendEmail is checked against: the address and its domain. */
    readonly identityNames: readonly string[];
    readonly templatePrefix: string;
    /** SES template names per email (one per language the portal speaks). */
    readonly templateNames: Readonly<Record<EmailTemplateId, readonly string[]>>;
    readonly configurationSetName: string;
  };
}

export function environmentFor(access: FunctionAccess, targets: AccessTargets): Record<string, string> {
  const { site } = targets;
  return {
    SITE_URL: site.siteUrl,
    PORTAL_NAME: site.portalName,
    PRIMARY_COLOUR: site.primaryColour,
    RESET_TOKEN_MINUTES: String(site.resetTokenMinutes),
    TEMPORARY_PASSWORD_MINUTES: String(site.temporaryPasswordMinutes),
    SESSION_MINUTES: String(site.sessionMinutes),
    SESSION_IDLE_MINUTES: String(site.sessionIdleMinutes),
    ...(site.rateLimits ? { RATE_LIMITS: site.rateLimits } : {}),
    REQUIRE_SECOND_FACTOR: String(site.requireSecondFactor),
    ...(access.factorKey ? { FACTOR_KEY_ID: targets.factorKey.keyArn } : {}),
    ...(access.table ? { TABLE_NAME: targets.table.tableName } : {}),
    ...(access.userPool
      ? { USER_POOL_ID: targets.userPool.userPoolId, USER_POOL_CLIENT_ID: targets.userPool.clientId }
      : {}),
    ...(access.sendToResetQueue ? { RESET_QUEUE_URL: targets.resetQueue.queueUrl } : {}),
    ...(access.readProviderKeys ? { OIDC_KEYS_SECRET: targets.providerKeys.secretArn } : {}),
    ...(access.notifyOps ? { OPS_EMAIL: targets.ops.email, OPS_COMMAND_ARGS: targets.ops.commandArgs } : {}),
    ...(access.sendEmails
      ? {
          SENDER_EMAIL: targets.mail.senderEmail,
          EMAIL_TEMPLATE_PREFIX: targets.mail.templatePrefix,
          SES_CONFIGURATION_SET: targets.mail.configurationSetName,
        }
      : {}),
  };
}

export function policyStatementsFor(
  scope: IFunction,
  access: FunctionAccess,
  targets: AccessTargets,
): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (access.table && access.table.length > 0) {
    statements.push(new PolicyStatement({ actions: [...access.table], resources: [targets.table.tableArn] }));
  }
  if (access.queryUserIndex) {
    statements.push(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${targets.table.tableArn}/index/${tableKeys.userIndex.name}`],
      }),
    );
  }
  if (access.userPool && access.userPool.length > 0) {
    statements.push(new PolicyStatement({ actions: [...access.userPool], resources: [targets.userPool.userPoolArn] }));
  }
  if (access.factorKey && access.factorKey.length > 0) {
    statements.push(new PolicyStatement({ actions: [...access.factorKey], resources: [targets.factorKey.keyArn] }));
  }
  if (access.sendToResetQueue) {
    statements.push(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [targets.resetQueue.queueArn] }));
  }
  if (access.readProviderKeys) {
    statements.push(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [targets.providerKeys.secretArn],
      }),
    );
  }
  if (access.sendEmails && access.sendEmails.length > 0) {
    const stack = Stack.of(scope);
    const ses = (resource: string, resourceName: string) => stack.formatArn({ service: 'ses', resource, resourceName });
    const { mail } = targets;
    // SESv2 SendEmail is authorised against the identity, the configuration set and the template.
    statements.push(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          ...mail.identityNames.map((name) => ses('identity', name)),
          ses('configuration-set', mail.configurationSetName),
          ...access.sendEmails.flatMap((id) => mail.templateNames[id].map((name) => ses('template', name))),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': mail.senderEmail } },
      }),
    );
  }
  return statements;
}

/** Gives a function its environment and exactly the permissions its row in the table lists. */
export function applyAccess(
  fn: IFunction & { addEnvironment(key: string, value: string): unknown },
  handler: HandlerName,
  targets: AccessTargets,
): void {
  const access = functionAccess[handler];
  for (const [key, value] of Object.entries(environmentFor(access, targets))) fn.addEnvironment(key, value);
  for (const statement of policyStatementsFor(fn, access, targets)) fn.addToRolePolicy(statement);
}
