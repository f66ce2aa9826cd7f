// A minimal Secrets Manager for the local stack (npm has no emulator for it): the JSON 1.1
// protocol's CreateSecret, GetSecretValue and PutSecretValue, in memory, so the provider function
// and the ops key commands run the same SDK code locally as in AWS.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { newKeySet } from '../lambdas/oidc/keys';
import type { RunningEmulator } from './emulators';

interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  value: string | undefined;
  versionId: string;
  createdDate: number;
}

const REGION = 'eu-west-1';
const ACCOUNT = '000000000000';

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function fail(res: ServerResponse, status: number, type: string, message: string): void {
  reply(res, status, { __type: type, message, Message: message });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startSecretsManager(): Promise<RunningEmulator> {
  const secrets = new Map<string, StoredSecret>();
  const lookup = (id: unknown) =>
    typeof id === 'string' ? [...secrets.values()].find((s) => s.name === id || s.arn === id) : undefined;

  const server = createServer((req, res) => {
    void (async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = await readJson(req);
      const action = target.replace(/^secretsmanager\./, '');
      if (action === 'CreateSecret') {
        const name = String(body.Name ?? '');
        if (!name) return fail(res, 400, 'InvalidParameterException', 'Name is required');
        if (lookup(name)) return fail(res, 400, 'ResourceExistsException', `The secret ${name} already exists.`);
        const secret: StoredSecret = {
          name,
          arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-${randomUUID().slice(0, 6)}`,
          value: typeof body.SecretString === 'string' ? body.SecretString : undefined,
          versionId: randomUUID(),
          createdDate: Date.now() / 1000,
        };
        secrets.set(name, secret);
        return reply(res, 200, { ARN: secret.arn, Name: name, VersionId: secret.versionId });
      }
      const secret = lookup(body.SecretId);
      if (action === 'GetSecretValue') {
        if (!secret || secret.value === undefined) {
          return fail(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        }
        return reply(res, 200, {
          ARN: secret.arn,
          Name: secret.name,
          SecretString: secret.value,
          VersionId: secret.versionId,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: secret.createdDate,
        });
      }
      if (action === 'PutSecretValue') {
        if (!secret)
          return fail(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        if (typeof body.SecretString !== 'string') {
          return fail(res, 400, 'InvalidParameterException', 'SecretString is required');
        }
        secret.value = body.SecretString;
        secret.versionId = randomUUID();
        return reply(res, 200, {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: secret.versionId,
          VersionStages: ['AWSCURRENT'],
        });
      }
      return fail(res, 400, 'UnknownOperationException', `The local Secrets Manager does not implement ${action}.`);
    })().catch((error: unknown) => {
      if (!res.headersSent) fail(res, 500, 'InternalServiceError', String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const LOCAL_KEYS_SECRET = 'support-access/oidc-keys';

/** Creates the provider's key secret with a fresh key set, as `ops keys init` does for a deployment. */
export async function createKeySecret(endpoint: string): Promise<string> {
  const client = new SecretsManagerClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const created = await client.send(
    new CreateSecretCommand({ Name: LOCAL_KEYS_SECRET, SecretString: JSON.stringify(newKeySet(Date.now())) }),
  );
  // Its ARN, as CloudFormation's Ref gives the deployed functions: what IAM checks a call against.
  return created.ARN ?? LOCAL_KEYS_SECRET;
}
