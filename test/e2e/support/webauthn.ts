// Chromium's virtual authenticators (CDP WebAuthn domain), for the passkey browser tests and the
// screenshots: a platform authenticator that holds discoverable credentials and verifies its user.
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

/** A CDP session on the page with the WebAuthn domain on: the page's ceremonies go to virtual authenticators. */
export async function virtualAuthenticators(context: BrowserContext, page: Page): Promise<CDPSession> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  return cdp;
}

/** Adds a platform authenticator (PIN or biometric); `isUserVerified: false` plays a person who cannot verify. */
export async function addPlatformAuthenticator(cdp: CDPSession, options: { isUserVerified?: boolean } = {}) {
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: options.isUserVerified ?? true,
      automaticPresenceSimulation: true,
    },
  });
  return authenticatorId;
}
