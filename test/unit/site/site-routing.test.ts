// The language and file choice of lib/site-routing.ts, and the CloudFront Function generated from
// it: the same cases must give the same answers in both.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { buildSync } from 'esbuild';
import { pickLanguage } from '../../../lambdas/definitions/languages';
import {
  routeSiteRequest,
  type SiteRequest,
  siteRequestFrom,
  siteRoutingFunctionCode,
  siteRoutingTable,
} from '../../../lib/site-routing';

const table = siteRoutingTable();
/** Stand-ins for the built 404 pages (lib/site-build.ts): the routing only picks one by language. */
const notFound = { en: '<p>No page here</p>', it: '<p>Nessuna pagina qui</p>' };
const request = (path: string, extra: Partial<SiteRequest> = {}): SiteRequest => ({ path, otherQuery: '', ...extra });

describe('choosing the page and its language', () => {
  it.each([
    ['/', {}, '/index.html', 'en'],
    ['/forgot', {}, '/forgot.html', 'en'],
    ['/forgot', { acceptLanguage: 'it-IT,it;q=0.9,en;q=0.8' }, '/it/forgot.html', 'it'],
    ['/reset', { acceptLanguage: 'de-DE, it;q=0.5, en;q=0.4' }, '/it/reset.html', 'it'],
    ['/reset', { acceptLanguage: 'de-DE, it;q=0.3, en;q=0.4' }, '/reset.html', 'en'],
    ['/reset', { acceptLanguage: 'it;q=0, en' }, '/reset.html', 'en'],
    ['/', { acceptLanguage: 'fr-FR' }, '/index.html', 'en'],
    ['/', { acceptLanguage: 'it', cookieLanguage: 'en' }, '/index.html', 'en'],
    ['/signed-in', { acceptLanguage: 'en', cookieLanguage: 'it' }, '/it/signed-in.html', 'it'],
    ['/', { acceptLanguage: 'it', cookieLanguage: 'xx' }, '/it/index.html', 'it'],
  ])('serves %s with %j from %s (%s)', (path, extra, file, language) => {
    expect(routeSiteRequest(table, request(path, extra))).toEqual({ kind: 'page', file, language });
  });

  it('follows pickLanguage for every Accept-Language header', () => {
    for (const header of [
      'it',
      'IT-it',
      'en-GB,it;q=0.9',
      'it;q=0.5,en;q=0.5',
      'xx, it;q=abc',
      ';;,,',
      'de;q=0.9, it;q=0.8',
    ]) {
      const route = routeSiteRequest(table, request('/', { acceptLanguage: header }));
      expect({ header, language: route.kind === 'page' ? route.language : '' }).toEqual({
        header,
        language: pickLanguage(undefined, header),
      });
    }
  });

  it('remembers the switch: ?lang=it sets the cookie and comes back without the parameter', () => {
    expect(routeSiteRequest(table, request('/reset', { queryLanguage: 'it', otherQuery: 'x=1' }))).toEqual({
      kind: 'redirect',
      location: '/reset?x=1',
      setLanguage: 'it',
    });
    expect(routeSiteRequest(table, request('/', { queryLanguage: 'EN' }))).toEqual({
      kind: 'redirect',
      location: '/',
      setLanguage: 'en',
    });
    expect(routeSiteRequest(table, request('/', { queryLanguage: 'xx' }))).toEqual({ kind: 'redirect', location: '/' });
  });

  it('redirects a trailing slash, passes assets through and answers 404 for unknown pages', () => {
    expect(routeSiteRequest(table, request('/forgot/'))).toEqual({ kind: 'redirect', location: '/forgot' });
    expect(routeSiteRequest(table, request('/app-1a2b3c4d5e.js'))).toEqual({ kind: 'asset' });
    expect(routeSiteRequest(table, request('/it/forgot.html'))).toEqual({ kind: 'asset' });
    expect(routeSiteRequest(table, request('/nope'))).toEqual({ kind: 'not-found', language: 'en' });
    expect(routeSiteRequest(table, request('/admin/'))).toEqual({ kind: 'not-found', language: 'en' });
  });

  it('answers an unknown page in the visitor language, or the one its language switch asks for', () => {
    expect(routeSiteRequest(table, request('/nope', { acceptLanguage: 'it-IT' }))).toEqual({
      kind: 'not-found',
      language: 'it',
    });
    expect(routeSiteRequest(table, request('/nope', { cookieLanguage: 'it', queryLanguage: 'EN' }))).toEqual({
      kind: 'not-found',
      language: 'en',
    });
    expect(routeSiteRequest(table, request('/nope', { cookieLanguage: 'it', queryLanguage: 'xx' }))).toEqual({
      kind: 'not-found',
      language: 'it',
    });
  });

  it('reads the parts from a raw URL and headers', () => {
    expect(siteRequestFrom('/reset?a=1&lang=it&b=2', { cookie: 'x=1; lang=en', 'accept-language': 'it' })).toEqual({
      path: '/reset',
      queryLanguage: 'it',
      otherQuery: 'a=1&b=2',
      cookieLanguage: 'en',
      acceptLanguage: 'it',
    });
  });
});

/**
 * The code embeds routeSiteRequest's source as the running transpiler printed it: under jest that is
 * swc, under `cdk synth` (tsx) esbuild with keepNames. Both must give working CloudFront code.
 */
function codeAsEsbuildPrintsIt(): string {
  const outfile = join(mkdtempSync(join(tmpdir(), 'site-routing-')), 'site-routing.js');
  buildSync({
    entryPoints: [join(__dirname, '..', '..', '..', 'lib', 'site-routing.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    keepNames: true,
    logLevel: 'silent',
  });
  return (require(outfile) as { siteRoutingFunctionCode(pages: typeof notFound): string }).siteRoutingFunctionCode(
    notFound,
  );
}

describe.each([
  ['as jest transpiles it', siteRoutingFunctionCode(notFound, table)],
  ['as tsx (esbuild) transpiles it', codeAsEsbuildPrintsIt()],
])('the CloudFront Function code %s', (_name, code) => {
  type CfResult = {
    uri?: string;
    statusCode?: number;
    headers?: Record<string, { value: string }>;
    cookies?: Record<string, { value: string; attributes: string }>;
    body?: { data: string };
  };
  const handler = runInNewContext(`${code}; handler`, {}) as (event: unknown) => CfResult;
  const event = (uri: string, options: { query?: Record<string, string>; cookie?: string; accept?: string } = {}) => ({
    version: '1.0',
    context: { eventType: 'viewer-request' },
    viewer: { ip: '192.0.2.1' },
    request: {
      method: 'GET',
      uri,
      querystring: Object.fromEntries(Object.entries(options.query ?? {}).map(([k, v]) => [k, { value: v }])),
      headers: options.accept ? { 'accept-language': { value: options.accept } } : {},
      cookies: options.cookie ? { lang: { value: options.cookie } } : {},
    },
  });

  it('is plain JavaScript of the cloudfront-js-2.0 kind: no imports, exports or TypeScript left', () => {
    expect(code).not.toMatch(/\b(import|export|require)\b/);
    expect(code).not.toMatch(/\bas string\b|Object\.hasOwn|\?\.|\?\?/);
    expect(code).toMatch(/^function handler\(event\)/m);
  });

  it('rewrites a page to its file in the chosen language, as routeSiteRequest does', () => {
    expect(handler(event('/forgot', { accept: 'it-IT,it;q=0.9' })).uri).toBe('/it/forgot.html');
    expect(handler(event('/forgot', { accept: 'it-IT', cookie: 'en' })).uri).toBe('/forgot.html');
    expect(handler(event('/', { cookie: 'it' })).uri).toBe('/it/index.html');
    expect(handler(event('/app-1a2b3c4d5e.js')).uri).toBe('/app-1a2b3c4d5e.js');
  });

  it('sets the language cookie (Secure) on the switch redirect and keeps the other parameters', () => {
    const result = handler(event('/reset', { query: { lang: 'it', x: 'a b' } }));
    expect(result.statusCode).toBe(302);
    expect(result.headers?.location?.value).toBe('/reset?x=a%20b');
    expect(result.cookies?.lang).toEqual({ value: 'it', attributes: 'Path=/; Max-Age=31536000; SameSite=Lax; Secure' });
  });

  it('answers 404 for unknown pages and redirects trailing slashes', () => {
    const missing = handler(event('/nope'));
    expect(missing.statusCode).toBe(404);
    expect(missing.body?.data).toBe(notFound.en);
    expect(handler(event('/nope', { accept: 'it-IT' })).body?.data).toBe(notFound.it);
    expect(handler(event('/nope', { query: { lang: 'it' } })).body?.data).toBe(notFound.it);
    expect(handler(event('/forgot/')).headers?.location?.value).toBe('/forgot');
  });
});
