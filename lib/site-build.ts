// Builds static-site/ into plain files: each page wrapped in the layout, the script bundled and
// minified by esbuild, CSS and script named by content hash so CloudFront can cache them forever.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { type Page, pages } from '../lambdas/definitions/routes';

export const SITE_SOURCE = join(__dirname, '..', 'static-site');

export interface SiteBuildOptions {
  readonly outDir: string;
  readonly portalName: string;
  readonly primaryColour: string;
}

export interface BuiltSite {
  readonly outDir: string;
  /** File names (relative to outDir) that carry a content hash and may be cached immutably. */
  readonly immutableFiles: readonly string[];
}

function hashed(name: string, content: string | Uint8Array): string {
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 10);
  const dot = name.lastIndexOf('.');
  return `${name.slice(0, dot)}-${hash}${name.slice(dot)}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PAGE_IDS: Record<string, string> = Object.fromEntries(
  (Object.entries(pages) as [string, Page][]).map(([id, page]) => [page.file, id]),
);

export function buildSite(options: SiteBuildOptions): BuiltSite {
  const { outDir } = options;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const script = buildSync({
    entryPoints: [join(SITE_SOURCE, 'src', 'main.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    write: false,
    legalComments: 'none',
  }).outputFiles[0]?.contents;
  if (!script) throw new Error('esbuild produced no script for static-site/src/main.ts');
  const jsName = hashed('app.js', script);
  writeFileSync(join(outDir, jsName), script);

  const css = readFileSync(join(SITE_SOURCE, 'styles.css'), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/--primary:\s*#[0-9a-fA-F]{6}/, `--primary: ${options.primaryColour}`)
    .replace(/\s*\n\s*/g, '\n')
    .trim();
  const cssName = hashed('styles.css', css);
  writeFileSync(join(outDir, cssName), css);

  writeFileSync(join(outDir, 'favicon.svg'), readFileSync(join(SITE_SOURCE, 'favicon.svg')));

  const layout = readFileSync(join(SITE_SOURCE, 'layout.html'), 'utf8');
  for (const page of Object.values(pages) as Page[]) {
    const source = readFileSync(join(SITE_SOURCE, 'pages', page.file), 'utf8');
    const title = /<!--\s*title:\s*(.+?)\s*-->/.exec(source)?.[1];
    if (!title) throw new Error(`static-site/pages/${page.file} lacks its <!-- title: ... --> line`);
    const values: Record<string, string> = {
      title: escapeHtml(title),
      portalName: escapeHtml(options.portalName),
      css: `/${cssName}`,
      js: `/${jsName}`,
      page: PAGE_IDS[page.file] ?? '',
      content: source.replace(/<!--[\s\S]*?-->\s*/, '').trim(),
    };
    const html = layout.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');
    writeFileSync(join(outDir, page.file), html.replace(/>\s+</g, '><').replace(/\n+/g, '\n'));
  }
  return { outDir, immutableFiles: [jsName, cssName] };
}
