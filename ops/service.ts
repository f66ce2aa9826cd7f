// The ops commands as functions on settings: the same domain code and adapters as the Lambda
// handlers, pointed at the local emulators or at a deployed stack. The CLI (ops/cli.ts) only
// parses arguments and prints; tests call these directly.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CognitoAccountAdmin } from '../lambdas/adapters/cognito-accounts';
import { CognitoUserDirectory } from '../lambdas/adapters/cognito-directory';
import { DynamoCredentialRequestStore } from '../lambdas/adapters/dynamodb-credential-requests';
import { DynamoAuditTrail, DynamoFactorStore } from '../lambdas/adapters/dynamodb-factors';
import {
  DynamoCredentialGenerations,
  DynamoSessionStore,
  DynamoTemporaryPasswordStore,
} from '../lambdas/adapters/dynamodb-store';
import { SesCredentialMailer } from '../lambdas/adapters/ses-credential-mailer';
import { SesMailer } from '../lambdas/adapters/ses-mailer';
import type { Language } from '../lambdas/definitions/languages';
import { type OpsFactorReset, resetFactorsByOps } from '../lambdas/domain/account';
import {
  type Approval,
  approveCredentialRequest,
  findRequest,
  rejectCredentialRequest,
  setAccountEnabled,
} from '../lambdas/domain/credential-requests';
import type { AccountSummary, CredentialRequestRecord, CredentialRequestStatus } from '../lambdas/domain/ports';
import { type Log, systemClock } from '../lambdas/domain/ports';
import { LOCAL_ADMIN_ACCESS_KEY } from '../local/iam/admin-key';
import type { OpsSettings } from './settings';

export interface OpsService {
  readonly settings: OpsSettings;
  listRequests(status?: CredentialRequestStatus): Promise<CredentialRequestRecord[]>;
  showRequest(reference: string): Promise<CredentialRequestRecord>;
  approve(reference: string): Promise<Approval>;
  reject(reference: string, reason: string): Promise<{ reference: string; email: string }>;
  listUsers(): Promise<AccountSummary[]>;
  setEnabled(
    login: string,
    enabled: boolean,
  ): Promise<{ username: string; changed: boolean; sessionsEnded: number; toolsSignedOut: readonly string[] }>;
  /** Removes a person's second factors (lost phone), ends their sessions, emails them, audits. */
  resetFactors(login: string, language: Language): Promise<OpsFactorReset>;
  close(): void;
}

/** The CLI reports outcomes itself; the domain's log lines would only repeat them. */
const quietLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function opsService(settings: OpsSettings, options: { decidedBy: string; log?: Log }): OpsService {
  const { local } = settings;
  const base = {
    region: settings.region,
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(local
      ? { credentials: { accessKeyId: LOCAL_ADMIN_ACCESS_KEY, secretAccessKey: 'local' }, maxAttempts: 1 }
      : {}),
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 15_000 },
  };
  const dynamo = new DynamoDBClient({ ...base, ...(local ? { endpoint: local.dynamodb } : {}) });
  const db = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const cognito = new CognitoIdentityProviderClient({ ...base, ...(local ? { endpoint: local.cognito } : {}) });
  const ses = new SESv2Client({ ...base, ...(local ? { endpoint: local.ses } : {}) });

  const store = new DynamoCredentialRequestStore(db, settings.tableName);
  const accounts = new CognitoAccountAdmin(cognito, settings.userPoolId);
  // The client id is only for sign-in, which ops never does.
  // Ops never signs anyone in: no app client, no secret.
  const users = new CognitoUserDirectory(cognito, {
    userPoolId: settings.userPoolId,
    clientId: 'unused',
    clientSecret: () => Promise.reject(new Error('the ops tool does not sign users in')),
    globalSignOut: settings.globalSignOut,
  });
  const mailer = new SesCredentialMailer(ses, {
    senderEmail: settings.senderEmail,
    templatePrefix: settings.templatePrefix,
    configurationSet: settings.configurationSet,
    common: { portalName: settings.portalName, primaryColour: settings.primaryColour, loginUrl: settings.loginUrl },
  });
  const log = options.log ?? quietLog;
  const decision = { store, clock: systemClock, log, decidedBy: options.decidedBy };

  return {
    settings,
    listRequests: (status) => store.list(status),
    showRequest: (reference) => findRequest(reference, { store }),
    approve: (reference) =>
      approveCredentialRequest(reference, {
        ...decision,
        accounts,
        users,
        temporaryPasswords: new DynamoTemporaryPasswordStore(db, settings.tableName),
        temporaryPasswordMinutes: settings.temporaryPasswordMinutes,
        mailer,
      }),
    reject: (reference, reason) => rejectCredentialRequest(reference, reason, { ...decision, mailer }),
    listUsers: () => accounts.listUsers(),
    setEnabled: async (login, enabled) => {
      const result = await setAccountEnabled(login, enabled, {
        accounts,
        users,
        sessions: new DynamoSessionStore(db, settings.tableName),
        generations: new DynamoCredentialGenerations(db, settings.tableName),
        clock: systemClock,
        log,
      });
      // Disabling also signs the person out of every tool they used (back-channel logout).
      // Loaded only here: the provider engine would add seconds to every other command's start.
      const toolSessions = enabled
        ? undefined
        : ((await import(`./tool-sessions${''}`)) as typeof import('./tool-sessions.js'));
      const tools = await toolSessions?.endToolSessionsFromOps(settings, result.username, { db, cognito, base });
      return { ...result, toolsSignedOut: tools?.notified ?? [] };
    },
    resetFactors: (login, language) =>
      resetFactorsByOps(login, options.decidedBy, language, {
        users,
        factors: new DynamoFactorStore(db, settings.tableName),
        sessions: new DynamoSessionStore(db, settings.tableName),
        audit: new DynamoAuditTrail(db, settings.tableName),
        securityMailer: new SesMailer(ses, {
          senderEmail: settings.senderEmail,
          templatePrefix: settings.templatePrefix,
          configurationSet: settings.configurationSet,
          common: {
            portalName: settings.portalName,
            primaryColour: settings.primaryColour,
            loginUrl: settings.loginUrl,
          },
        }),
        clock: systemClock,
        log,
      }),
    close: () => {
      db.destroy();
      cognito.destroy();
      ses.destroy();
    },
  };
}
