import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { CLI_BUNDLE, manifestPath } from '../bin/cli-bundle.mjs';

/**
 * Bundle the `pochub` CLI (main/cli.ts and everything it imports from this repository) into one
 * ES module, so `pochub serve` starts without tsx transpiling every source file (docs/architecture.md
 * §11), with the pure-JavaScript npm packages in it too (CLI_EXTERNAL). Beside the bundle goes `<bundle>.inputs.json`: the build's
 * start time and the source files esbuild read (its metafile); bin/pochub.mjs runs the bundle only
 * while none of them is newer, and falls back to tsx otherwise.
 *
 * Run: `npm run build:cli` (also done by `npm start` and `npm test`).
 */
export const ROOT = resolve(import.meta.dirname, '..');
export const CLI_ENTRY = resolve(ROOT, 'main', 'cli.ts');

/**
 * npm packages left out of the bundle: native addons (they find their .node files from their own
 * folder), @medplum (its definitions are read from its package folder), and the build tools.
 * The pure-JavaScript rest (zod, commander, ws) goes in: loading zod's ~100 and ws's ~20 files
 * one by one cost the CLI ~130 ms of CPU at every start (docs/architecture.md §11).
 */
export const CLI_EXTERNAL = ['better-sqlite3', 'serialport', '@serialport/*', 'node-hid', 'usb', '@medplum/*', 'tsx', 'esbuild', 'bufferutil', 'utf-8-validate'];

/**
 * The CommonJS packages bundled (commander, ws) call `require` for Node's own modules; an ES
 * module has none, so the bundle makes one.
 */
const REQUIRE_BANNER = "import { createRequire as __pochubCreateRequire } from 'node:module';\nconst require = __pochubCreateRequire(import.meta.url);";

/**
 * npm writes this on every install and update: a bundled package that changed version makes the
 * bundle stale even where the package's own files keep old mtimes.
 */
const INSTALL_STAMP = 'node_modules/.package-lock.json';

export function cliBuildOptions(outfile: string): BuildOptions & { metafile: true } {
  return {
    entryPoints: [CLI_ENTRY],
    outfile,
    absWorkingDir: ROOT,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: CLI_EXTERNAL,
    banner: { js: REQUIRE_BANNER },
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
  /** The repository files esbuild read and npm's install stamp, relative to root. */
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
  const own = Object.keys(result.metafile.inputs).filter((i) => !i.startsWith('node_modules/'));
  const inputs = [...own.sort(), INSTALL_STAMP, 'package.json'];
  const manifest: CliBundleManifest = { builtAtMs, root: relative(dirname(outfile), ROOT) || '.', inputs };
  await writeFile(manifestPath(outfile), `${JSON.stringify(manifest, null, 1)}\n`);
  return outfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const file = await buildCli();
  console.warn(`cli: ${file}`);
}
