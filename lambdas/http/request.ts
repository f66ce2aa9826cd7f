// Reading API Gateway v2 events: the JSON body (type, size, encoding, schema), cookies, origin.
import { isIPv4, isIPv6 } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import { type Language, pickLanguage } from '../definitions/languages';
import type { ProblemCode } from './problems';

/** The forms here send a few short fields; anything near this size is not a person. */
export const MAX_BODY_BYTES = 4096;

export class HttpProblem extends Error {
  constructor(
    readonly code: ProblemCode,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? code);
    this.name = 'HttpProblem';
  }
}

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

export function cookie(event: APIGatewayProxyEventV2, name: string): string | undefined {
  // API Gateway v2 splits the Cookie header into `cookies`; a raw header is read as a fallback.
  const pairs = event.cookies ?? header(event, 'cookie')?.split(';') ?? [];
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The viewer's IP address. Behind CloudFront, API Gateway sees CloudFront's address, so the
 * viewer's comes from CloudFront-Viewer-Address ("ip:port"), which CloudFront sets itself; the API
 * accepts only requests that came through CloudFront (the origin-verify header), so it is trusted.
 */
export function sourceIp(event: APIGatewayProxyEventV2): string {
  const viewer = header(event, 'cloudfront-viewer-address');
  if (viewer) {
    const colon = viewer.lastIndexOf(':');
    const address = (colon > 0 ? viewer.slice(0, colon) : viewer).replace(/^\[|\]$/g, '');
    if (/^[0-9a-fA-F:.]{2,45}$/.test(address)) return address;
  }
  return event.requestContext?.http?.sourceIp ?? 'unknown';
}

/** The eight 16-bit groups of an IPv6 address (embedded IPv4 included); undefined if it is not one. */
function ipv6Groups(address: string): number[] | undefined {
  const bare = address.replace(/%.*$/, '');
  if (!isIPv6(bare)) return undefined;
  let text = bare.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => Number.parseInt(group, 16));
}

/**
 * The subject per-source limits count: an IPv4 address as it is, an IPv6 address by its /64. One
 * IPv6 subscriber gets a whole /64 (18 quintillion addresses), so counting single IPv6 addresses
 * would give anyone with a home connection an unlimited supply of fresh "sources". An IPv4 address
 * written as IPv6 (::ffff:a.b.c.d) counts as that IPv4 address.
 */
export function sourceKey(ip: string): string {
  if (isIPv4(ip)) return ip;
  const groups = ipv6Groups(ip);
  if (!groups) return ip.toLowerCase();
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function bodyText(event: APIGatewayProxyEventV2, maxBytes: number): string {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBytes) throw new HttpProblem('payload_too_large');
  try {
    return utf8.decode(bytes);
  } catch {
    throw new HttpProblem('invalid_encoding');
  }
}

function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** The body, checked to be JSON of the expected shape; anything else is a 4xx HttpProblem. */
export function jsonBody<Schema extends z.ZodMiniType>(
  event: APIGatewayProxyEventV2,
  schema: Schema,
  /** Passkey answers (signed structures) are larger than a form's fields. */
  maxBytes: number = MAX_BODY_BYTES,
): z.infer<Schema> {
  const contentType = header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') throw new HttpProblem('unsupported_media_type');
  const text = bodyText(event, maxBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpProblem('invalid_json');
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw new HttpProblem('invalid_request', describeIssues(result.error));
  return result.data;
}

/** The language for what this request sends: the body's choice, else Accept-Language. */
export function requestLanguage(event: APIGatewayProxyEventV2, explicit: string | undefined): Language {
  return pickLanguage(explicit, header(event, 'accept-language'));
}
