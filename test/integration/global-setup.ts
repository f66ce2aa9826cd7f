// Starts the whole local stack once for the integration suite; tests reach it over HTTP.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStack, startLocalStack } from '../../local/local-stack';
import { writeLocalOpsFile } from '../../ops/settings';
import { startLogoutSink, testClients } from '../support/oidc-relying-party';

declare global {
  var __supportAccessStop: (() => Promise<void>) | undefined;
  var __supportAccessStack: { stack: LocalStack; startedAt: number } | undefined;
  var __logoutSinkStop: (() => Promise<void>) | undefined;
}

export default async function globalSetup(): Promise<void> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const startedAt = Date.now();
  // Tools registered through OIDC_CLIENTS, as an outside relying party would be; their back-channel
  // logout endpoint is a receiver the tests can read.
  const sink = await startLogoutSink();
  globalThis.__logoutSinkStop = () => sink.stop();
  const clients = testClients(sink.url);
  const stack = await startLocalStack({
    port: 0,
    queueRetryDelayMs: 200,
    faultInjection: true,
    env: { OIDC_CLIENTS: JSON.stringify(clients) },
  });
  globalThis.__supportAccessStop = () => stack.stop();
  globalThis.__supportAccessStack = { stack, startedAt };
  // The ops CLI finds this stack as it finds `npm start`'s, through an endpoints file.
  const opsFile = join(mkdtempSync(join(tmpdir(), 'support-access-ops-')), 'endpoints.json');
  writeLocalOpsFile(opsFile, stack);
  Object.assign(process.env, {
    SUPPORT_ACCESS_URL: stack.url,
    SUPPORT_ACCESS_SES_URL: stack.sesUrl,
    SUPPORT_ACCESS_DYNAMODB: stack.endpoints.dynamodb,
    SUPPORT_ACCESS_TABLE: stack.bootstrapped.tableName,
    SUPPORT_ACCESS_COGNITO: stack.endpoints.cognito,
    SUPPORT_ACCESS_USER_POOL: stack.bootstrapped.userPoolId,
    SUPPORT_ACCESS_DEMO: JSON.stringify(stack.bootstrapped.demo),
    SUPPORT_ACCESS_OPS_FILE: opsFile,
    SUPPORT_ACCESS_OIDC_CLIENTS: JSON.stringify(clients),
    SUPPORT_ACCESS_LOGOUT_SINK: sink.url,
  });
}
