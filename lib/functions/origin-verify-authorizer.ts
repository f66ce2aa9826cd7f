// API Gateway Lambda authorizer (simple responses) for the HTTP API: lets a request through only
// when it carries the secret header CloudFront adds on its way to the API, so nobody can call the
// execute-api endpoint directly and skip CloudFront (its headers, WAF, and the viewer-address
// header later rate limits will trust). It is infrastructure glue, not portal logic, hence lib/.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { ORIGIN_VERIFY_HEADER } from '../origin-verify';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

function expectedDigest(): Buffer {
  const secret = process.env.ORIGIN_VERIFY_SECRET?.trim();
  if (!secret || secret.length < 32) throw new Error('ORIGIN_VERIFY_SECRET environment variable is not set');
  return digest(secret);
}

const expected = expectedDigest();

export const handler = async (event: APIGatewayRequestAuthorizerEventV2): Promise<APIGatewaySimpleAuthorizerResult> => {
  const presented =
    Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === ORIGIN_VERIFY_HEADER)?.[1] ?? '';
  // Equal-length digests, compared in constant time: the answer's timing says nothing about the secret.
  return { isAuthorized: timingSafeEqual(digest(presented), expected) };
};
