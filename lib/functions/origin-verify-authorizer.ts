// API Gateway Lambda authorizer (simple responses) for the HTTP API: lets a request through only
// when it carries the secret header CloudFront adds on its way to the API, so nobody can call the
// execute-api endpoint directly and skip CloudFront (its headers, WAF, and the viewer-address
// header later rate limits will trust). It is infrastructure glue, not portal logic, hence lib/.
//
// The secret rotates (lib/functions/origin-secret-rotation.ts): the current and the previous
// value are both accepted, so CloudFront may still send the old one while its new configuration
// spreads. Values are read from Secrets Manager and cached briefly; an unknown value makes the
// cache refresh early (at most every REFRESH_ON_MISS_MS), so a rotation is seen within seconds.
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import {
  ORIGIN_SECRET_CACHE_SECONDS,
  ORIGIN_SECRET_MIN_LENGTH,
  ORIGIN_VERIFY_HEADER,
  REFRESH_ON_MISS_MS,
} from '../origin-verify';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

function secretIdFromEnv(): string {
  const id = process.env.ORIGIN_VERIFY_SECRET_ARN?.trim();
  if (!id) throw new Error('ORIGIN_VERIFY_SECRET_ARN environment variable is not set');
  return id;
}

const secretId = secretIdFromEnv();
const client = new SecretsManagerClient({ maxAttempts: 2 });

interface Accepted {
  readonly digests: readonly Buffer[];
  readonly fetchedAt: number;
}
let cache: Accepted | undefined;

async function readStage(stage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<string | undefined> {
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }));
    return SecretString;
  } catch (error) {
    // A secret that was never rotated has no previous version.
    if (stage === 'AWSPREVIOUS' && error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function refresh(now: number): Promise<Accepted> {
  const [current, previous] = await Promise.all([readStage('AWSCURRENT'), readStage('AWSPREVIOUS')]);
  if (!current || current.length < ORIGIN_SECRET_MIN_LENGTH) {
    throw new Error(`The origin secret ${secretId} has no current value of ${ORIGIN_SECRET_MIN_LENGTH}+ characters`);
  }
  const values = [current, ...(previous && previous.length >= ORIGIN_SECRET_MIN_LENGTH ? [previous] : [])];
  cache = { digests: values.map(digest), fetchedAt: now };
  return cache;
}

// Equal-length digests, compared in constant time: the answer's timing says nothing about the secret.
const matches = (accepted: Accepted, presented: Buffer) =>
  accepted.digests.some((expected) => timingSafeEqual(presented, expected));

export const handler = async (event: APIGatewayRequestAuthorizerEventV2): Promise<APIGatewaySimpleAuthorizerResult> => {
  const value =
    Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === ORIGIN_VERIFY_HEADER)?.[1] ?? '';
  const presented = digest(value);
  const now = Date.now();
  let accepted = cache && now - cache.fetchedAt < ORIGIN_SECRET_CACHE_SECONDS * 1000 ? cache : await refresh(now);
  if (matches(accepted, presented)) return { isAuthorized: true };
  if (value !== '' && now - accepted.fetchedAt >= REFRESH_ON_MISS_MS) {
    accepted = await refresh(now);
    return { isAuthorized: matches(accepted, presented) };
  }
  return { isAuthorized: false };
};
