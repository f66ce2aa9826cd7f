// Lighthouse 12.2.3, mobile (its default: Moto G Power screen, simulated slow 4G, 4x CPU slowdown),
// all four categories, each run in a fresh headless Chromium with its own profile.
import { CHROMIUM_FLAGS } from '../test/e2e/support/chromium';

export interface LighthouseScores {
  readonly performance: number;
  readonly accessibility: number;
  readonly bestPractices: number;
  readonly seo: number;
  readonly totalBlockingTime: number;
  readonly largestContentfulPaint: number;
  /** Audits that lost points, for the report's notes. */
  readonly failing: readonly string[];
}

/** The part of Lighthouse's result this bench reads. */
interface LighthouseResult {
  readonly lhr: {
    readonly runtimeError?: { code: string; message: string };
    readonly categories: Record<
      string,
      { id: string; score: number | null; auditRefs: { id: string; weight: number }[] }
    >;
    readonly audits: Record<string, { score: number | null; numericValue?: number }>;
  };
}

type Lighthouse = (url: string, flags: Record<string, unknown>) => Promise<LighthouseResult | undefined>;

// Imported by a name TypeScript does not follow: Lighthouse's own .d.ts files do not compile under
// TypeScript 7 (they declare namespaces with `module`), and skipLibCheck does not cover that.
const LIGHTHOUSE: string = 'lighthouse';

export async function runLighthouse(
  chromePath: string,
  url: string,
  extraHeaders: Record<string, string> = {},
): Promise<LighthouseScores> {
  const lighthouse = ((await import(LIGHTHOUSE)) as { default: Lighthouse }).default;
  const { launch } = await import('chrome-launcher');
  const chrome = await launch({
    chromePath,
    chromeFlags: ['--headless=new', '--no-sandbox', ...CHROMIUM_FLAGS],
    logLevel: 'silent',
  });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
      extraHeaders,
    });
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    const { categories, audits, runtimeError } = result.lhr;
    if (runtimeError) throw new Error(`Lighthouse failed on ${url}: ${runtimeError.code} ${runtimeError.message}`);
    const score = (id: string) => Math.round((categories[id]?.score ?? 0) * 100);
    const failing = Object.values(categories)
      .filter((category) => category.id !== 'performance')
      .flatMap((category) => category.auditRefs)
      .filter((ref) => ref.weight > 0 && (audits[ref.id]?.score ?? 1) < 1)
      .map((ref) => ref.id);
    return {
      performance: score('performance'),
      accessibility: score('accessibility'),
      bestPractices: score('best-practices'),
      seo: score('seo'),
      totalBlockingTime: audits['total-blocking-time']?.numericValue ?? Number.NaN,
      largestContentfulPaint: audits['largest-contentful-paint']?.numericValue ?? Number.NaN,
      failing: [...new Set(failing)],
    };
  } finally {
    chrome.kill();
  }
}
