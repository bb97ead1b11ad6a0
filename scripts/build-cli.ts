import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { CLI_BUNDLE, manifestPath } from '../bin/cli-bundle.mjs';

/**
 * Bundle the `pochub` CLI (main/cli.ts and everything it imports from this repository) into one
 * ES module, so `pochub serve` starts without tsx transpiling every source file (docs/architecture.md
 * §11). npm packages stay external. Beside the bundle goes `<bundle>.inputs.json`: the build's
 * start time and the source files esbuild read (its metafile); bin/pochub.mjs runs the bundle only
 * while none of them is newer, and falls back to tsx otherwise.
 *
 * Run: `npm run build:cli` (also done by `npm start` and `npm test`).
 */
export const ROOT = resolve(import.meta.dirname, '..');
export const CLI_ENTRY = resolve(ROOT, 'main', 'cli.ts');

export function cliBuildOptions(outfile: string): BuildOptions & { metafile: true } {
  return {
    entryPoints: [CLI_ENTRY],
    outfile,
    absWorkingDir: ROOT,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  };
}

/** What the manifest beside a bundle holds (read by bin/cli-bundle.mjs). */
export interface CliBundleManifest {
  /** When the build began: a source saved during the build counts as newer than the bundle. */
  builtAtMs: number;
  /** The folder the inputs are relative to, itself relative to the bundle's folder. */
  root: string;
  /** The repository files esbuild read, relative to root. */
  inputs: string[];
}

/**
 * Build the bundle to `outfile` (default out/cli/pochub.mjs) and write its manifest. The bundle's
 * paths derived from its own folder (renderer/dist) assume it sits two folders below the root.
 */
export async function buildCli(outfile: string = CLI_BUNDLE): Promise<string> {
  // Taken before esbuild reads anything: a source saved while it builds is newer than this.
  const builtAtMs = Date.now();
  await mkdir(dirname(outfile), { recursive: true });
  const result = await build(cliBuildOptions(outfile));
  const manifest: CliBundleManifest = { builtAtMs, root: relative(dirname(outfile), ROOT) || '.', inputs: Object.keys(result.metafile.inputs).sort() };
  await writeFile(manifestPath(outfile), `${JSON.stringify(manifest, null, 1)}\n`);
  return outfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const file = await buildCli();
  console.warn(`cli: ${file}`);
}
