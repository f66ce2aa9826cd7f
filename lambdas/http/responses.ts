// Building API Gateway v2 responses: JSON bodies, the security headers every answer carries, and
// the portal's cookies.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type ProblemCode, problems } from './problems';

export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  // Answers about sessions and links must never be cached by a browser or a proxy.
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

export type Response = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> };

export function json(
  statusCode: number,
  body: unknown,
  extra: { cookies?: string[]; headers?: Record<string, string> } = {},
): Response {
  return {
    statusCode,
    headers: { ...API_SECURITY_HEADERS, ...extra.headers },
    body: JSON.stringify(body),
    ...(extra.cookies && extra.cookies.length > 0 ? { cookies: extra.cookies } : {}),
  };
}

export function problem(
  code: ProblemCode,
  overrides: { message?: string; details?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Response {
  const definition = problems[code];
  const headers: Record<string, string> = {
    ...(definition.status === 503 ? { 'retry-after': '30' } : {}),
    ...overrides.headers,
  };
  return json(
    definition.status,
    { error: code, message: overrides.message ?? definition.message, ...overrides.details },
    { headers },
  );
}

export const cookieNames = {
  session: 'sa_session',
  challenge: 'sa_challenge',
  /** The second step of a sign-in (a code still due), never a session. */
  step: 'sa_step',
} as const;

export type CookieName = keyof typeof cookieNames;

/** `__Host-` binds the cookie to this exact origin; browsers accept it only with Secure and Path=/. */
export function cookieName(name: CookieName, secure: boolean): string {
  return secure ? `__Host-${cookieNames[name]}` : cookieNames[name];
}

export function setCookie(name: CookieName, value: string, maxAgeSeconds: number, secure: boolean): string {
  const attributes = [
    `${cookieName(name, secure)}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
  ];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

export function clearCookie(name: CookieName, secure: boolean): string {
  return setCookie(name, '', 0, secure);
}
