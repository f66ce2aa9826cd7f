// The Lambda bundles for the local stack, built with esbuild's API from the one bundling definition
// (lib/bundling.ts) that the CDK stack uses too, and cached: a bundle is built again only when one of
// the files that went into it (esbuild's metafile says which), the settings or esbuild changed.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { build, version as esbuildVersion } from 'esbuild';
import { esbuildOptions, lambdaBundling } from '../lib/bundling';

export const PROJECT_ROOT = join(__dirname, '..');
export const HANDLERS_DIR = join(PROJECT_ROOT, 'lambdas', 'handlers');
/** Kept between runs (git-ignored); deleting it only costs one full build. */
export const DEFAULT_BUNDLE_CACHE = join(PROJECT_ROOT, '.local', 'bundles');

export interface BundleSet {
  /** Handler name -> absolute path of its `.mjs` bundle. */
  readonly files: Readonly<Record<string, string>>;
  readonly built: readonly string[];
  readonly reused: readonly string[];
}

interface Manifest {
  readonly key: string;
  /** Project-relative path -> [mtimeMs, size] of each input when the bundle was built. */
  readonly inputs: Record<string, [number, number]>;
  /** The npm packages that put code into the bundle (tree-shaken ones do not count). */
  readonly packages: readonly string[];
}

/** What, besides the inputs' contents, makes a different bundle. */
function settingsKey(entry: string): string {
  return createHash('sha256').update(JSON.stringify({ entry, esbuildVersion, lambdaBundling })).digest('hex');
}

function fingerprint(path: string): [number, number] | undefined {
  try {
    const stat = statSync(join(PROJECT_ROOT, path));
    return [stat.mtimeMs, stat.size];
  } catch {
    return undefined;
  }
}

function isFresh(cacheDir: string, name: string, entry: string): boolean {
  const manifestFile = join(cacheDir, `${name}.inputs.json`);
  if (!existsSync(manifestFile) || !existsSync(join(cacheDir, `${name}${lambdaBundling.extension}`))) return false;
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    if (manifest.key !== settingsKey(entry)) return false;
    return Object.entries(manifest.inputs).every(([path, [mtime, size]]) => {
      const now = fingerprint(path);
      return now !== undefined && now[0] === mtime && now[1] === size;
    });
  } catch {
    return false;
  }
}

/** Writes through a temporary name, so a concurrent reader never sees half a bundle. */
function writeAtomically(file: string, contents: Uint8Array | string): void {
  const temporary = `${file}.${randomUUID()}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

/**
 * Bundles the given handlers (name -> entry file) into cacheDir as `<name>.mjs` (+ `.mjs.map`),
 * reusing every bundle whose inputs did not change. Stale ones are built in one esbuild call.
 */
export async function buildBundles(
  entries: Readonly<Record<string, string>>,
  cacheDir: string = DEFAULT_BUNDLE_CACHE,
): Promise<BundleSet> {
  mkdirSync(cacheDir, { recursive: true });
  const stale = Object.keys(entries).filter((name) => !isFresh(cacheDir, name, entries[name] as string));
  const files = Object.fromEntries(
    Object.keys(entries).map((name) => [name, join(cacheDir, `${name}${lambdaBundling.extension}`)]),
  );
  const reused = Object.keys(entries).filter((name) => !stale.includes(name));
  if (stale.length === 0) return { files, built: [], reused };

  const result = await build({
    ...esbuildOptions(Object.fromEntries(stale.map((name) => [name, entries[name] as string])), cacheDir),
    absWorkingDir: PROJECT_ROOT,
    metafile: true,
    write: false,
  });
  for (const output of result.outputFiles) writeAtomically(output.path, output.contents);
  for (const [outputPath, output] of Object.entries(result.metafile.outputs)) {
    if (!outputPath.endsWith(lambdaBundling.extension)) continue;
    const name = basename(outputPath, lambdaBundling.extension);
    const inputs = Object.fromEntries(
      Object.keys(output.inputs)
        .map((path) => [relative(PROJECT_ROOT, join(PROJECT_ROOT, path)), fingerprint(path)] as const)
        .filter((pair): pair is readonly [string, [number, number]] => pair[1] !== undefined),
    );
    const packages = new Set<string>();
    for (const [path, input] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      if (match?.[1] && input.bytesInOutput > 0) packages.add(match[1]);
    }
    const manifest: Manifest = { key: settingsKey(entries[name] as string), inputs, packages: [...packages].sort() };
    writeAtomically(join(cacheDir, `${name}.inputs.json`), JSON.stringify(manifest));
  }
  return { files, built: stale, reused };
}

/** The npm packages whose code is in a cached bundle, from the metafile recorded when it was built. */
export function bundledPackages(cacheDir: string, name: string): string[] {
  const manifest = JSON.parse(readFileSync(join(cacheDir, `${name}.inputs.json`), 'utf8')) as Manifest;
  return [...manifest.packages];
}

/** The entry file of each handler under lambdas/handlers/. */
export function handlerEntries(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, join(HANDLERS_DIR, `${name}.ts`)]));
}
