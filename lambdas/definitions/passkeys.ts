// Passkeys (WebAuthn), defined once: the relying party, what a registration asks of the
// authenticator, and the limits the API and the pages share.

/**
 * The relying party is the site itself: its id is the site's host name (a passkey made for
 * support.example.com works there and nowhere else), the expected origin the site's origin.
 * Browsers refuse IP addresses as relying-party ids, hence `localhost` for the local stack.
 */
export function relyingParty(siteUrl: string): { readonly id: string; readonly origin: string } {
  const url = new URL(siteUrl);
  return { id: url.hostname, origin: url.origin };
}

export const passkeyRules = {
  /** How long a ceremony's challenge waits for the browser's answer (also the browser's timeout). */
  challengeSeconds: 300,
  /** Passkeys per account: enough for every device a person has, bounded for the table and the page. */
  maxPerAccount: 10,
  /** Characters in a passkey's name ("Work laptop", "Phone"). */
  nameMaxLength: 64,
  /**
   * Adding or removing a passkey needs a sign-in this recent (ASVS 5.0 7.5.1: re-authentication
   * before changing how one signs in): a session left open on a shared computer cannot add an
   * attacker's passkey or strip the owner's.
   */
  recentSignInMinutes: 10,
  /** The answer's size limit, in characters of JSON: attestation 'none' answers are a few KB. */
  responseMaxLength: 16_384,
} as const;

/** What a registered passkey is, as the account page shows it (never its key). */
export interface PasskeyView {
  /** The credential id (base64url), what removing it names. */
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
  readonly lastUsedAt?: number | undefined;
  /** Synced by a password manager or platform account (backed up), or bound to one device. */
  readonly synced: boolean;
}
