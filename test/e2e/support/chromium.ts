// Debian's Chromium, launched with the flags that keep it off the network (../shared/TOOLCHAIN.md).
// Never a downloaded browser build: .ci/run installs the Debian package.
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for every launch. Playwright adds --no-sandbox and a fresh temporary --user-data-dir itself. */
export const CHROMIUM_FLAGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The site is http://localhost:<port> (a passkey's relying-party id cannot be an IP address).
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
];

export function requireChromium(): string {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}. The browser tests need Debian's Chromium: ` +
        'run `apt-get update && apt-get install -y chromium` (or set CHROMIUM_PATH).',
    );
  }
  return CHROMIUM_PATH;
}
