// The one bundling definition: how a handler under lambdas/handlers/ becomes the file Lambda runs.
// The CDK construct (lib/constructs/lambda-function.ts) hands it to NodejsFunction, the local stack
// (local/bundles.ts) and the bench hand it to esbuild's API, so what runs locally is what deploys.
// No aws-cdk-lib import here: the local stack loads this file too.
import type { BuildOptions } from 'esbuild';

/**
 * ESM lets esbuild tree-shake the AWS SDK (its ES module builds sit behind the `module` field);
 * CommonJS dependencies bundled into ESM still call require() for Node's built-ins, which ESM has
 * not, hence the banner that makes one.
 */
export const lambdaBundling = {
  format: 'esm',
  platform: 'node',
  /** Lambda's nodejs24.x runtime (lib/constructs/lambda-function.ts NODE_RUNTIME). */
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  /**
   * Minified, but with the original function and class names: oidc-provider looks its token
   * lifetimes up by class name (`ttl[this.name]`), which renamed classes break at the token
   * endpoint. Costs a few KB per bundle.
   */
  keepNames: true,
  /**
   * Maps are written next to each bundle (index.mjs.map) as build output, without the sources, and
   * are NOT read at run time: `--enable-source-maps` adds ~30 ms to every cold start and ~200 ms to
   * the first formatted stack. A function that wants them sets `sourceMapsAtRuntime` (PortalFunction).
   */
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  /** Paths are relative to the project root (esbuild's working directory on both sides). */
  alias: { '@aws-sdk/credential-provider-node': './lambdas/adapters/lambda-credentials.ts' },
  banner: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
  /** The output file's extension: `.mjs` makes Node (and Lambda) load it as ES module without a package.json. */
  extension: '.mjs',
} as const;

/** Bundles larger than this fail the infra test and the bench (minified, before zip). */
export const MAX_BUNDLE_BYTES = 600 * 1024;

/**
 * The one exception: the OpenID Provider function carries oidc-provider (the certified engine,
 * ~280 KB), Koa with its MIME table (~310 KB) and jose, which no tree-shaking can drop. Every other
 * function, the sign-out and reset ones included (they end tool sessions without the engine:
 * lambdas/oidc/tool-logout.ts), stays within MAX_BUNDLE_BYTES.
 */
export const PROVIDER_MAX_BUNDLE_BYTES = 1300 * 1024;

/**
 * The functions that check passkeys carry SimpleWebAuthn (~60 KB) and, through its attestation
 * verifiers and metadata service, an X.509/ASN.1 stack (@peculiar/x509, asn1js, reflect-metadata:
 * ~200 KB) that its single entry point brings whatever is used: the package declares no
 * sideEffects, and NodejsFunction's esbuild takes no plugins to say so for it. Only these five
 * import it (lambdas/domain/passkeys.ts); removing a passkey and the account page do not.
 */
export const PASSKEY_MAX_BUNDLE_BYTES = 850 * 1024;
export const passkeyHandlers: readonly string[] = [
  'session-passkey-options',
  'session-passkey',
  'session-second-factor',
  'account-passkey-options',
  'account-passkey-add',
];

export function maxBundleBytes(handler: string): number {
  if (handler === 'oidc-provider') return PROVIDER_MAX_BUNDLE_BYTES;
  return passkeyHandlers.includes(handler) ? PASSKEY_MAX_BUNDLE_BYTES : MAX_BUNDLE_BYTES;
}

/** esbuild API options for one or more handler bundles written to outdir as `<name>.mjs`. */
export function esbuildOptions(entryPoints: Record<string, string>, outdir: string): BuildOptions {
  const { extension, banner, alias, ...rest } = lambdaBundling;
  return {
    ...rest,
    alias: { ...alias },
    mainFields: [...rest.mainFields],
    banner: { js: banner },
    entryPoints,
    outdir,
    outExtension: { '.js': extension },
    bundle: true,
    // Every package goes into the bundle, the SDK included: the version tested is the version run.
    external: [],
    logLevel: 'warning',
  };
}
