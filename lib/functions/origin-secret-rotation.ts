// Secrets Manager rotation function for the origin secret (the header CloudFront shows the API).
// createSecret stages a new random value as AWSPENDING; finishSecret makes it AWSCURRENT (the old
// value becomes AWSPREVIOUS, which the authorizer still accepts) and only then points CloudFront's
// API origin at it. No step leaves CloudFront sending a value the authorizer refuses.
import {
  CloudFrontClient,
  type DistributionConfig,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { ORIGIN_SECRET_LENGTH, ORIGIN_SECRET_MIN_LENGTH, ORIGIN_VERIFY_HEADER } from '../origin-verify';

export interface RotationEvent {
  readonly Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
  readonly SecretId: string;
  readonly ClientRequestToken: string;
}

export class RotationError extends Error {
  override readonly name = 'RotationError';
}

function distributionIdFromEnv(): string {
  const id = process.env.DISTRIBUTION_ID?.trim();
  if (!id) throw new Error('DISTRIBUTION_ID environment variable is not set');
  return id;
}

const distributionId = distributionIdFromEnv();
const secrets = new SecretsManagerClient({});
// CloudFront's control plane answers in us-east-1 only.
const cloudFront = new CloudFrontClient({ region: 'us-east-1' });

async function pendingExists(secretId: string, token: string): Promise<boolean> {
  try {
    await secrets.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

async function createSecret(secretId: string, token: string): Promise<void> {
  if (await pendingExists(secretId, token)) return;
  const { RandomPassword } = await secrets.send(
    new GetRandomPasswordCommand({
      PasswordLength: ORIGIN_SECRET_LENGTH,
      ExcludePunctuation: true,
      IncludeSpace: false,
    }),
  );
  if (!RandomPassword) throw new RotationError('Secrets Manager returned no random value; the rotation will retry');
  await secrets.send(
    new PutSecretValueCommand({
      SecretId: secretId,
      ClientRequestToken: token,
      SecretString: RandomPassword,
      VersionStages: ['AWSPENDING'],
    }),
  );
}

async function testSecret(secretId: string, token: string): Promise<void> {
  const { SecretString } = await secrets.send(
    new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }),
  );
  if (!SecretString || SecretString.length < ORIGIN_SECRET_MIN_LENGTH) {
    throw new RotationError(`The pending origin secret is shorter than ${ORIGIN_SECRET_MIN_LENGTH} characters`);
  }
}

/** Sets the header on every origin that carries it; true when CloudFront's configuration changed. */
export function withOriginSecret(config: DistributionConfig, value: string): boolean {
  let found = 0;
  let changed = false;
  for (const origin of config.Origins?.Items ?? []) {
    for (const header of origin.CustomHeaders?.Items ?? []) {
      if (header.HeaderName?.toLowerCase() !== ORIGIN_VERIFY_HEADER) continue;
      found += 1;
      if (header.HeaderValue !== value) {
        header.HeaderValue = value;
        changed = true;
      }
    }
  }
  if (found === 0) {
    throw new RotationError(
      `No origin of distribution ${distributionId} sends ${ORIGIN_VERIFY_HEADER}: deploy the stack again before rotating`,
    );
  }
  return changed;
}

async function pointCloudFrontAt(value: string): Promise<void> {
  const { DistributionConfig: config, ETag } = await cloudFront.send(
    new GetDistributionConfigCommand({ Id: distributionId }),
  );
  if (!config || !ETag) throw new RotationError(`CloudFront returned no configuration for ${distributionId}`);
  if (!withOriginSecret(config, value)) return;
  await cloudFront.send(
    new UpdateDistributionCommand({ Id: distributionId, IfMatch: ETag, DistributionConfig: config }),
  );
}

async function finishSecret(secretId: string, token: string): Promise<void> {
  const { VersionIdsToStages } = await secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
  const current = Object.entries(VersionIdsToStages ?? {}).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
  if (current !== token) {
    // Secrets Manager moves AWSPREVIOUS to the version that loses AWSCURRENT.
    await secrets.send(
      new UpdateSecretVersionStageCommand({
        SecretId: secretId,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: token,
        ...(current ? { RemoveFromVersionId: current } : {}),
      }),
    );
  }
  const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token }));
  if (!SecretString) throw new RotationError('The new origin secret has no value');
  await pointCloudFrontAt(SecretString);
}

export const handler = async (event: RotationEvent): Promise<void> => {
  const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
  const { RotationEnabled, VersionIdsToStages } = await secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
  if (!RotationEnabled) throw new RotationError(`Rotation is not enabled on ${secretId}`);
  const stages = VersionIdsToStages?.[token];
  if (!stages) throw new RotationError(`Version ${token} of ${secretId} does not exist`);
  // A step retried after the version became current has nothing left to do, except making sure
  // CloudFront sends it (finishSecret).
  if (step !== 'finishSecret' && stages.includes('AWSCURRENT')) return;
  if (!stages.includes('AWSPENDING') && !stages.includes('AWSCURRENT')) {
    throw new RotationError(`Version ${token} of ${secretId} is not pending rotation`);
  }
  switch (step) {
    case 'createSecret':
      return createSecret(secretId, token);
    case 'setSecret':
      // Nothing yet: CloudFront switches in finishSecret, once the authorizer can find the new value as current.
      return;
    case 'testSecret':
      return testSecret(secretId, token);
    case 'finishSecret':
      return finishSecret(secretId, token);
    default:
      throw new RotationError(`Unknown rotation step ${String(step)}`);
  }
};
