// Which `pochub` to run: the esbuild bundle of the CLI (out/cli/pochub.mjs, `npm run build:cli`)
// when it is fresh, else nothing (the caller runs the TypeScript through tsx). Plain JavaScript
// with no imports beyond node:fs/path, because it runs before anything else on every start.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Where `npm run build:cli` writes the bundle: two folders below the root, like main/cli.ts. */
export const CLI_BUNDLE = resolve(import.meta.dirname, '..', 'out', 'cli', 'pochub.mjs');

/** The manifest beside a bundle: what it was built from and when (written by scripts/build-cli.ts). */
export function manifestPath(bundle) {
  return `${bundle}.inputs.json`;
}

/**
 * The bundle's path when it exists and no source it was built from changed since the build
 * began; `undefined` otherwise (missing bundle or manifest, a source edited, moved or deleted,
 * an unreadable manifest). Checking the ~300 inputs' mtimes costs a few milliseconds, and it
 * means a developer editing sources never runs a stale bundle (docs/architecture.md §11).
 *
 * @param {string} [bundle]
 * @returns {string | undefined}
 */
export function freshCliBundle(bundle = CLI_BUNDLE) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath(bundle), 'utf8'));
    statSync(bundle);
  } catch {
    return undefined;
  }
  if (typeof manifest?.builtAtMs !== 'number' || typeof manifest.root !== 'string' || !Array.isArray(manifest.inputs)) return undefined;
  // The root is relative to the bundle's folder, so a copied checkout checks its own sources.
  const root = resolve(dirname(bundle), manifest.root);
  for (const input of manifest.inputs) {
    if (typeof input !== 'string') return undefined;
    try {
      if (statSync(resolve(root, input)).mtimeMs > manifest.builtAtMs) return undefined;
    } catch {
      return undefined;
    }
  }
  return bundle;
}
