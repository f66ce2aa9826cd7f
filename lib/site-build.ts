// Builds static-site/ into plain files: each page wrapped in the layout, once per language with the
// texts of static-site/src/messages.ts; the script bundled and minified by esbuild once per page and
// language (each carries only its page's code and its language's messages); CSS and scripts named by
// content hash so CloudFront can cache them forever. Which language a visitor gets is
// lib/site-routing.ts's choice.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildSync } from 'esbuild';
import { type Language, languages } from '../lambdas/definitions/languages';
import { type Page, pages } from '../lambdas/definitions/routes';
import { catalogue, format } from '../static-site/src/messages';
import { LANGUAGE_QUERY, pageFile, siteRoutingTable } from './site-routing';

export const SITE_SOURCE = join(__dirname, '..', 'static-site');

export interface SiteBuildOptions {
  readonly outDir: string;
  readonly portalName: string;
  readonly primaryColour: string;
}

export interface BuiltPage {
  /** The clean path people use, e.g. /forgot. */
  readonly path: string;
  readonly language: Language;
  /** The file relative to outDir: the default language at the root (forgot.html), others in a folder (it/forgot.html). */
  readonly file: string;
}

export interface BuiltSite {
  readonly outDir: string;
  /** File names (relative to outDir) that carry a content hash and may be cached immutably. */
  readonly immutableFiles: readonly string[];
  /** Every page in every language; lib/site-routing.ts picks among them per request. */
  readonly pages: readonly BuiltPage[];
  /**
   * The 404 page per language, in the site's look but without script: the local server and the
   * CloudFront Function (lib/site-routing.ts) answer unknown paths with it.
   */
  readonly notFound: Readonly<Record<Language, string>>;
}

/** The 404 page's source: wrapped in the layout like a page, but never a route of its own. */
const NOT_FOUND_SOURCE = 'not-found.html';

function hashed(name: string, content: string | Uint8Array): string {
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 10);
  const dot = name.lastIndexOf('.');
  return `${name.slice(0, dot)}-${hash}${name.slice(dot)}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function esbuildScript(page: string, text: Record<string, string>): string {
  const script = buildSync({
    entryPoints: [join(SITE_SOURCE, 'src', 'main.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    write: false,
    legalComments: 'none',
    define: { SITE_PAGE: JSON.stringify(page), SITE_TEXT: JSON.stringify(text) },
  }).outputFiles?.[0]?.text;
  if (!script) throw new Error('esbuild produced no script for static-site/src/main.ts');
  return script;
}

/**
 * The script of one page in one language: SITE_PAGE keeps only that page's code (static-site/src/
 * main.ts), SITE_TEXT (static-site/src/text.ts) only the messages that code can show, in that
 * language. A message is kept when the code names its key, or builds keys with its prefix
 * (`error.${code}`), so error texts for every API code stay in.
 */
function bundleScript(page: string, language: Language): string {
  const code = esbuildScript(page, {});
  const all = catalogue[language].script as Record<string, string>;
  const used = Object.fromEntries(
    Object.entries(all).filter(([key]) => {
      const prefix = key.slice(0, key.indexOf('.') + 1);
      return code.includes(JSON.stringify(key)) || code.includes(`\`${prefix}\${`) || code.includes(`"${prefix}"+`);
    }),
  );
  return esbuildScript(page, used);
}

function languageLinks(current: Language): string {
  return languages
    .map((language) => {
      const name = escapeHtml(catalogue[language].page['language.name']);
      const currentAttribute = language === current ? ' aria-current="true"' : '';
      return `<a href="?${LANGUAGE_QUERY}=${language}" hreflang="${language}" lang="${language}"${currentAttribute}>${name}</a>`;
    })
    .join('\n');
}

/** Replaces {{t.key}} with the language's text (HTML-escaped); a missing key stops the build. */
function translate(html: string, language: Language, where: string): string {
  const text = catalogue[language].page as Record<string, string>;
  return html.replace(/\{\{t\.([\w.-]+)\}\}/g, (_, key: string) => {
    const value = text[key];
    if (value === undefined)
      throw new Error(`${where}: no "${key}" in the ${language} catalogue (static-site/src/messages.ts)`);
    return escapeHtml(value);
  });
}

export function buildSite(options: SiteBuildOptions): BuiltSite {
  const { outDir } = options;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const table = siteRoutingTable();

  // One script per page and language, named by content hash (identical ones share a file).
  const scripts = new Map<string, string>();
  for (const language of languages) {
    for (const id of Object.keys(pages)) {
      const script = bundleScript(id, language);
      const name = hashed('app.js', script);
      writeFileSync(join(outDir, name), script);
      scripts.set(`${id}:${language}`, name);
    }
  }

  const css = readFileSync(join(SITE_SOURCE, 'styles.css'), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/--primary:\s*#[0-9a-fA-F]{6}/, `--primary: ${options.primaryColour}`)
    .replace(/\s*\n\s*/g, '\n')
    .trim();
  const cssName = hashed('styles.css', css);
  writeFileSync(join(outDir, cssName), css);

  // The icon in the portal's colour, inline in every page (CSP allows data: images): one request fewer.
  const favicon = readFileSync(join(SITE_SOURCE, 'favicon.svg'), 'utf8').replace(/#1f4e8c/gi, options.primaryColour);
  writeFileSync(join(outDir, 'favicon.svg'), favicon);
  const faviconUrl = `data:image/svg+xml,${favicon
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(/"/g, "'")
    .replace(/[%#<>]/g, (c) => encodeURIComponent(c))}`;

  const layout = readFileSync(join(SITE_SOURCE, 'layout.html'), 'utf8');
  /** One page in the layout; `js` undefined leaves the script out. */
  const render = (language: Language, id: string, file: string, js: string | undefined, favicon: string): string => {
    const text = catalogue[language].page as Record<string, string>;
    const source = readFileSync(join(SITE_SOURCE, 'pages', file), 'utf8').replace(/<!--[\s\S]*?-->\s*/g, '');
    const title = text[`${id}.title`];
    if (!title) throw new Error(`static-site/src/messages.ts: no "${id}.title" in the ${language} catalogue`);
    const values: Record<string, string> = {
      title: escapeHtml(title),
      description: escapeHtml(format(text['layout.description'] ?? '', { portal: options.portalName })),
      portalName: escapeHtml(options.portalName),
      favicon: escapeHtml(favicon),
      css: `/${cssName}`,
      js: js ?? '',
      page: id,
      languageLinks: languageLinks(language),
      content: source.trim(),
    };
    const html = translate(
      (js ? layout : layout.replace(/<script [^>]*><\/script>\n?/, '').replace(/<noscript>.*<\/noscript>\n?/, ''))
        .replace(/<html lang="[^"]*">/, `<html lang="${language}">`)
        .replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? ''),
      language,
      `static-site/pages/${file}`,
    );
    return html.replace(/>\s+</g, '><').replace(/\n+/g, '\n');
  };

  const pageFiles: BuiltPage[] = [];
  for (const language of languages) {
    for (const [id, page] of Object.entries(pages) as [string, Page][]) {
      const html = render(language, id, page.file, `/${scripts.get(`${id}:${language}`)}`, faviconUrl);
      const file = pageFile(table, page.file, language);
      mkdirSync(dirname(join(outDir, file)), { recursive: true });
      writeFileSync(join(outDir, file), html);
      pageFiles.push({ path: page.path, language, file: file.slice(1) });
    }
  }
  // The 404 travels inside the CloudFront Function's code (10 KB at most): the icon by address.
  const notFound = Object.fromEntries(
    languages.map((language) => [language, render(language, 'notFound', NOT_FOUND_SOURCE, undefined, '/favicon.svg')]),
  ) as Record<Language, string>;
  return { outDir, immutableFiles: [...new Set(scripts.values()), cssName], pages: pageFiles, notFound };
}
