// Which file answers a page request, and in which language: the one choice made by the local server
// (local/local-stack.ts) and, in AWS, by a CloudFront Function (viewer request) generated from
// the same function below. A `lang` cookie set by the on-page switch wins, then Accept-Language.
import { defaultLanguage, languages } from '../lambdas/definitions/languages';
import { type Page, pages } from '../lambdas/definitions/routes';

export const LANGUAGE_COOKIE = 'lang';
export const LANGUAGE_QUERY = 'lang';

/** Everything the routing function needs, as plain JSON so the CloudFront code can embed it. */
export interface SiteRoutingTable {
  readonly languages: readonly string[];
  readonly defaultLanguage: string;
  /** Clean path to built file name, e.g. "/forgot" -> "forgot.html". */
  readonly pages: Readonly<Record<string, string>>;
}

export interface SiteRequest {
  readonly path: string;
  /** The `lang` query parameter, if any (the language switch's link). */
  readonly queryLanguage?: string | undefined;
  /** The rest of the query string, without `lang` and without "?". */
  readonly otherQuery: string;
  readonly cookieLanguage?: string | undefined;
  readonly acceptLanguage?: string | undefined;
}

export type SiteRoute =
  /** Serve this file (path in the built site) for the page. */
  | { readonly kind: 'page'; readonly file: string; readonly language: string }
  /** Redirect; `setLanguage` asks for the language cookie to be set on the way. */
  | { readonly kind: 'redirect'; readonly location: string; readonly setLanguage?: string }
  /** Not a page (a hashed script, the stylesheet, the icon): serve the path as it is. */
  | { readonly kind: 'asset' }
  /**
   * A path without a file extension that is no page: answer 404 with the built site's 404 page in
   * this language (BuiltSite.notFound, lib/site-build.ts).
   */
  | { readonly kind: 'not-found'; readonly language: string };

/** The 404 page per language, as lib/site-build.ts builds it. */
export type NotFoundPages = Readonly<Record<string, string>>;

/** The built file of a page in a language: the default language at the root, others in a folder. */
export function pageFile(table: SiteRoutingTable, file: string, language: string): string {
  return language === table.defaultLanguage ? `/${file}` : `/${language}/${file}`;
}

export function siteRoutingTable(): SiteRoutingTable {
  const files: Record<string, string> = {};
  for (const page of Object.values(pages) as Page[]) files[page.path] = page.file;
  return { languages: [...languages], defaultLanguage, pages: files };
}

/**
 * The routing decision. It must stay self-contained (no imports, no helpers outside its body) and
 * use only what CloudFront's JavaScript runtime 2.0 has: siteRoutingFunctionCode() embeds its source.
 */
export function routeSiteRequest(table: SiteRoutingTable, request: SiteRequest): SiteRoute {
  const supported = (value: string | undefined): boolean =>
    typeof value === 'string' && table.languages.indexOf(value) >= 0;
  const withQuery = (path: string, query: string): string => (query ? `${path}?${query}` : path);
  const path = request.path;
  // A plain lookup, no newer Object helpers: CloudFront's runtime is ES 5.1 plus some later features.
  // Paths start with '/', so they never meet an Object.prototype member.
  const isPage = typeof table.pages[path] === 'string';

  if (isPage && request.queryLanguage !== undefined) {
    // The switch's link: remember the choice and come back to the same page without the parameter.
    // The browser keeps the URL fragment (the reset link's token) across the redirect.
    const chosen = request.queryLanguage.toLowerCase();
    const location = withQuery(path, request.otherQuery);
    return supported(chosen) ? { kind: 'redirect', location, setLanguage: chosen } : { kind: 'redirect', location };
  }
  // The visitor's language: the language cookie, then Accept-Language, then the default.
  const visitorLanguage = (): string => {
    let language = supported(request.cookieLanguage) ? (request.cookieLanguage as string) : '';
    if (!language) {
      // The first supported language of Accept-Language by q-value (as pickLanguage does).
      let best = -1;
      const parts = (request.acceptLanguage || '').split(',');
      for (let i = 0; i < parts.length; i++) {
        const params = (parts[i] as string).trim().split(';');
        const base = (params[0] as string).trim().toLowerCase().split('-')[0] as string;
        let q = 1;
        for (let j = 1; j < params.length; j++) {
          const param = (params[j] as string).trim();
          if (param.indexOf('q=') === 0) q = Number(param.slice(2));
        }
        if (!(q > 0)) continue;
        if (supported(base) && q > best) {
          best = q;
          language = base;
        }
      }
    }
    return language || table.defaultLanguage;
  };
  if (isPage) {
    const language = visitorLanguage();
    const file = table.pages[path] as string;
    return {
      kind: 'page',
      language,
      file: language === table.defaultLanguage ? `/${file}` : `/${language}/${file}`,
    };
  }
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed !== path && typeof table.pages[trimmed] === 'string') {
    return { kind: 'redirect', location: withQuery(trimmed, request.otherQuery) };
  }
  // A path without a file extension is a page that does not exist (S3 would answer 403 for it).
  // Its language switch (?lang=it) shows it in that language, without remembering the choice.
  if (path.lastIndexOf('.') <= path.lastIndexOf('/')) {
    const asked = (request.queryLanguage || '').toLowerCase();
    return { kind: 'not-found', language: supported(asked) ? asked : visitorLanguage() };
  }
  return { kind: 'asset' };
}

/** Attributes of the language cookie: a year, the whole site, sent on top-level navigations. */
export function languageCookieAttributes(secure: boolean): string {
  return `Path=/; Max-Age=31536000; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** The request parts routeSiteRequest needs, from a raw URL and headers (the local server's side). */
export function siteRequestFrom(
  rawUrl: string,
  headers: { cookie?: string | undefined; 'accept-language'?: string | undefined },
): SiteRequest {
  const url = new URL(rawUrl, 'http://localhost');
  const queryLanguage = url.searchParams.get(LANGUAGE_QUERY) ?? undefined;
  url.searchParams.delete(LANGUAGE_QUERY);
  const cookieLanguage = (headers.cookie ?? '')
    .split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === LANGUAGE_COOKIE)?.[1];
  return {
    path: url.pathname,
    queryLanguage,
    otherQuery: url.searchParams.toString(),
    cookieLanguage,
    acceptLanguage: headers['accept-language'],
  };
}

/**
 * CloudFront Function code (viewer request, cloudfront-js-2.0) doing the same routing: clean URLs,
 * the page in the visitor's language, the language switch's cookie, trailing-slash redirects, and a
 * small 404 page for unknown paths. Assets pass through unchanged. Pages must stay no-cache for
 * browsers (they are), since one URL has a version per language.
 */
export function siteRoutingFunctionCode(notFound: NotFoundPages, table: SiteRoutingTable = siteRoutingTable()): string {
  // tsx/esbuild (keepNames) wraps inner functions in __name(fn, "name"); the shim keeps such a
  // transpiled source working where no such helper exists.
  return `var __name = function (fn) { return fn; };
var table = ${JSON.stringify(table)};
var notFound = ${JSON.stringify(notFound)};
var cookieAttributes = ${JSON.stringify(languageCookieAttributes(true))};
var routeSiteRequest = ${routeSiteRequest.toString()};
function recode(value) {
  try { return encodeURIComponent(decodeURIComponent(value)); } catch (e) { return encodeURIComponent(value); }
}
function handler(event) {
  var request = event.request;
  var query = request.querystring || {};
  var rest = [];
  var queryLanguage;
  Object.keys(query).forEach(function (name) {
    var entry = query[name];
    var values = entry.multiValue ? entry.multiValue.map(function (v) { return v.value; }) : [entry.value];
    if (name === ${JSON.stringify(LANGUAGE_QUERY)}) { queryLanguage = values[0] || ''; return; }
    values.forEach(function (value) { rest.push(recode(name) + (value ? '=' + recode(value) : '')); });
  });
  var cookies = request.cookies || {};
  var cookie = cookies[${JSON.stringify(LANGUAGE_COOKIE)}];
  var header = request.headers['accept-language'];
  var route = routeSiteRequest(table, {
    path: request.uri,
    queryLanguage: queryLanguage,
    otherQuery: rest.join('&'),
    cookieLanguage: cookie ? cookie.value : undefined,
    acceptLanguage: header ? header.value : undefined
  });
  if (route.kind === 'page') {
    request.uri = route.file;
    return request;
  }
  if (route.kind === 'redirect') {
    var response = {
      statusCode: 302,
      statusDescription: 'Found',
      headers: { location: { value: route.location }, 'cache-control': { value: 'no-store' } }
    };
    if (route.setLanguage) response.cookies = { ${JSON.stringify(LANGUAGE_COOKIE)}: { value: route.setLanguage, attributes: cookieAttributes } };
    return response;
  }
  if (route.kind === 'not-found') {
    return {
      statusCode: 404,
      statusDescription: 'Not Found',
      headers: { 'content-type': { value: 'text/html; charset=utf-8' }, 'cache-control': { value: 'no-cache' } },
      body: { encoding: 'text', data: notFound[route.language] || notFound[table.defaultLanguage] }
    };
  }
  return request;
}
`;
}
