// The headers every page carries, defined once: CloudFront's response headers policy sets them in
// AWS and the local runner sets the same ones.

/** No inline script or style anywhere, so the policy needs no 'unsafe-inline'. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "manifest-src 'self'",
].join('; ');

export const HSTS_SECONDS = 63_072_000; // two years, as hstspreload.org asks

export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  // Passkeys only on this origin's own pages (never in a frame another site embeds).
  'permissions-policy':
    'camera=(), microphone=(), geolocation=(), payment=(), publickey-credentials-create=(self), publickey-credentials-get=(self)',
};

export function strictTransportSecurity(): string {
  return `max-age=${HSTS_SECONDS}; includeSubDomains; preload`;
}
