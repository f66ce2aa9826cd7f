// Builds the adapters the handlers use, each once per container and only when a handler asks for
// it, so every function needs only its own environment variables and permissions.

import { cognitoClient, dynamoDocumentClient, kmsClient, sesClient, sqsClient } from './adapters/aws-clients';
import { CognitoAccountAdmin } from './adapters/cognito-accounts';
import { CognitoUserDirectory, clientSecretReader } from './adapters/cognito-directory';
import { DynamoCredentialRequestStore } from './adapters/dynamodb-credential-requests';
import { DynamoFactorStore } from './adapters/dynamodb-factors';
import {
  DynamoCredentialGenerations,
  DynamoRateCounter,
  DynamoResetTokenStore,
  DynamoSessionStore,
  DynamoTemporaryPasswordStore,
} from './adapters/dynamodb-store';
import { KmsSecretSealer } from './adapters/kms-sealer';
import { SesCredentialMailer } from './adapters/ses-credential-mailer';
import { SesMailer } from './adapters/ses-mailer';
import { SqsResetRequestQueue } from './adapters/sqs-queue';
import { mailConfig, opsConfig, rateLimitConfig, requiredEnv, siteConfig, userPoolConfig } from './config';
import type { IpLimitedEndpoint } from './definitions/rate-limits';
import { loginUrl } from './definitions/routes';
import type {
  AccountAdmin,
  CredentialGenerations,
  CredentialMailer,
  CredentialRequestStore,
  FactorStore,
  Mailer,
  ResetRequestQueue,
  ResetTokenStore,
  SecretSealer,
  SecurityMailer,
  SessionStore,
  TemporaryPasswordStore,
  UserDirectory,
} from './domain/ports';
import { systemClock } from './domain/ports';
import type { FailureCounter, RateCounter } from './domain/rate-limit';
import type { IpRateLimit } from './http/handler';

function once<T>(create: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= create();
    return value;
  };
}

const documentClient = /* @__PURE__ */ once(dynamoDocumentClient);
const tableName = /* @__PURE__ */ once(() => requiredEnv('TABLE_NAME'));

export const tokenStore = /* @__PURE__ */ once(
  (): ResetTokenStore => new DynamoResetTokenStore(documentClient(), tableName()),
);

export const sessionStore = /* @__PURE__ */ once(
  (): SessionStore => new DynamoSessionStore(documentClient(), tableName()),
);

export const factorStore = /* @__PURE__ */ once(
  (): FactorStore => new DynamoFactorStore(documentClient(), tableName()),
);

const kmsSealer = /* @__PURE__ */ once(
  (): SecretSealer => new KmsSecretSealer(kmsClient(), requiredEnv('FACTOR_KEY_ID')),
);

/**
 * The sealer, built at its first use: only functions that open or seal a secret hold the key's
 * grant and FACTOR_KEY_ID, yet every session handler shares one set of dependencies.
 */
export const secretSealer: SecretSealer = {
  seal: (plaintext, username) => kmsSealer().seal(plaintext, username),
  open: (sealed, username) => kmsSealer().open(sealed, username),
};

export const credentialGenerations = /* @__PURE__ */ once(
  (): CredentialGenerations => new DynamoCredentialGenerations(documentClient(), tableName()),
);

export const temporaryPasswordStore = /* @__PURE__ */ once(
  (): TemporaryPasswordStore => new DynamoTemporaryPasswordStore(documentClient(), tableName()),
);

export const userDirectory = /* @__PURE__ */ once((): UserDirectory => {
  const { userPoolId, clientId } = userPoolConfig();
  // cognito-local answers AdminUserGlobalSignOut with HTTP 500; the local runner says so here.
  const globalSignOut = process.env.COGNITO_GLOBAL_SIGN_OUT !== 'unsupported';
  const cognito = cognitoClient();
  return new CognitoUserDirectory(cognito, {
    userPoolId,
    clientId,
    clientSecret: clientSecretReader(cognito, userPoolId, clientId),
    globalSignOut,
  });
});

export const mailer = /* @__PURE__ */ once((): Mailer => {
  const site = siteConfig();
  return new SesMailer(sesClient(), {
    ...mailConfig(),
    common: { portalName: site.portalName, primaryColour: site.primaryColour, loginUrl: loginUrl(site.siteUrl) },
  });
});

const sesSecurityMailer = /* @__PURE__ */ once((): SecurityMailer => {
  const site = siteConfig();
  return new SesMailer(sesClient(), {
    ...mailConfig(),
    common: { portalName: site.portalName, primaryColour: site.primaryColour, loginUrl: loginUrl(site.siteUrl) },
  });
});

/** Built at its first use, like the sealer: only the functions that confirm changes send. */
export const securityMailer: SecurityMailer = {
  sendSecurityNotice: (email) => sesSecurityMailer().sendSecurityNotice(email),
};

export const resetQueue = /* @__PURE__ */ once(
  (): ResetRequestQueue => new SqsResetRequestQueue(sqsClient(), requiredEnv('RESET_QUEUE_URL')),
);

export const credentialRequestStore = /* @__PURE__ */ once(
  (): CredentialRequestStore => new DynamoCredentialRequestStore(documentClient(), tableName()),
);

/** Account administration needs only the pool's id (no app client). */
export const accountAdmin = /* @__PURE__ */ once(
  (): AccountAdmin => new CognitoAccountAdmin(cognitoClient(), requiredEnv('USER_POOL_ID')),
);

/** The credential-request handler's mailer: announces requests to OPS_EMAIL. */
export const credentialMailer = /* @__PURE__ */ once((): CredentialMailer => {
  const site = siteConfig();
  const ops = opsConfig();
  return new SesCredentialMailer(sesClient(), {
    ...mailConfig(),
    common: { portalName: site.portalName, primaryColour: site.primaryColour, loginUrl: loginUrl(site.siteUrl) },
    opsEmail: ops.opsEmail,
    opsCommandArgs: ops.commandArgs,
  });
});

export const rateCounter = /* @__PURE__ */ once(
  (): RateCounter & FailureCounter => new DynamoRateCounter(documentClient(), tableName()),
);

export const rateLimits = /* @__PURE__ */ once(() => rateLimitConfig());

/** The per-IP limit for one endpoint, for httpHandler. */
export function ipRateLimit(endpoint: IpLimitedEndpoint): IpRateLimit {
  return { endpoint, limit: rateLimits().perIp[endpoint], counter: rateCounter(), clock: systemClock };
}
