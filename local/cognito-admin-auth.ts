// cognito-local 5.3.0 lacks what the real service does for the admin sign-in flow: its
// AdminInitiateAuth never answers NEW_PASSWORD_REQUIRED, AdminRespondToAuthChallenge does not
// exist, and neither checks SECRET_HASH. The proxy in front of it hands these two calls to the
// public flow it does implement, after checking the secret hash as Cognito would, so the local
// stack runs the functions' real calls (and the IAM actions they are granted) end to end.
import { timingSafeEqual } from 'node:crypto';
import { secretHash } from '../lambdas/adapters/cognito-directory';

const PREFIX = 'AWSCognitoIdentityProviderService.';

export type CognitoRewrite =
  | { readonly forward: { readonly target: string; readonly body: Buffer } }
  | { readonly reply: { readonly status: number; readonly type: string; readonly message: string } };

type Json = Record<string, unknown>;

function hashMatches(expected: string, given: unknown): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(typeof given === 'string' ? given : '');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `secrets` maps app client ids to their secrets (clients without one are absent). */
export function cognitoAdminAuth(secrets: ReadonlyMap<string, string>) {
  const refuse = (): CognitoRewrite => ({
    reply: { status: 400, type: 'NotAuthorizedException', message: 'Unable to verify secret hash for client' },
  });
  const withoutHash = (parameters: Json, clientId: string): Json | undefined => {
    const { SECRET_HASH: given, ...rest } = parameters;
    const secret = secrets.get(clientId);
    if (secret === undefined) return rest;
    return hashMatches(secretHash(String(rest.USERNAME ?? ''), clientId, secret), given) ? rest : undefined;
  };

  return (target: string, body: Buffer): CognitoRewrite | undefined => {
    if (!target.startsWith(PREFIX)) return undefined;
    const action = target.slice(PREFIX.length);
    if (action !== 'AdminInitiateAuth' && action !== 'AdminRespondToAuthChallenge') return undefined;
    const request = JSON.parse(body.toString('utf8')) as Json;
    const clientId = String(request.ClientId ?? '');
    if (action === 'AdminInitiateAuth') {
      if (request.AuthFlow !== 'ADMIN_USER_PASSWORD_AUTH') return undefined;
      const parameters = withoutHash((request.AuthParameters ?? {}) as Json, clientId);
      if (!parameters) return refuse();
      const forwarded = { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: parameters };
      return { forward: { target: `${PREFIX}InitiateAuth`, body: Buffer.from(JSON.stringify(forwarded)) } };
    }
    const responses = withoutHash((request.ChallengeResponses ?? {}) as Json, clientId);
    if (!responses) return refuse();
    const forwarded = {
      ClientId: clientId,
      ChallengeName: request.ChallengeName,
      Session: request.Session,
      ChallengeResponses: responses,
    };
    return { forward: { target: `${PREFIX}RespondToAuthChallenge`, body: Buffer.from(JSON.stringify(forwarded)) } };
  };
}
