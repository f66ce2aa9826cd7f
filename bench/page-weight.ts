// Page weight as a browser sees it: every request a page makes until the network is idle, with
// the bytes on the wire (gzip) and after decoding (raw). Third-party means not this loopback host.
import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../test/e2e/support/chromium';

export interface PageWeight {
  readonly raw: number;
  readonly gzip: number;
  readonly requests: number;
  readonly thirdParty: number;
}

export async function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
}

export async function measurePage(
  browser: Browser,
  url: string,
  cookies: { name: string; value: string }[] = [],
): Promise<PageWeight> {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, locale: 'en-GB' });
  if (cookies.length > 0) await context.addCookies(cookies.map((c) => ({ ...c, url })));
  const page = await context.newPage();
  const origin = new URL(url).origin;
  const responses: Promise<{ raw: number; gzip: number; thirdParty: boolean }>[] = [];
  page.on('response', (response) => {
    if (response.url().startsWith('data:')) return;
    responses.push(
      (async () => {
        const sizes = await response.request().sizes();
        const body = await response.body().catch(() => Buffer.alloc(0));
        return {
          raw: body.length,
          gzip: sizes.responseBodySize,
          thirdParty: new URL(response.url()).origin !== origin,
        };
      })(),
    );
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  const measured = await Promise.all(responses);
  await context.close();
  return {
    raw: measured.reduce((sum, r) => sum + r.raw, 0),
    gzip: measured.reduce((sum, r) => sum + r.gzip, 0),
    requests: measured.length,
    thirdParty: measured.filter((r) => r.thirdParty).length,
  };
}
