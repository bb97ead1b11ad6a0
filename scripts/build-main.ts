import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

/**
 * Bundle the Electron main process (main/electron/main.ts and the hub core) into one ES module
 * for the packaged app (`npm run dist`): there the TypeScript cannot be run through tsx, whose
 * esbuild binary cannot be spawned from inside the asar archive. npm packages stay external
 * (node_modules is packaged; native modules are rebuilt for Electron and unpacked).
 * `out/electron/main.mjs` sits two folders below the root like main/electron/main.ts, so the
 * paths main.ts derives from its own folder hold in both.
 *
 * Run: `npm run build:main`. `npm start` needs no build: entry.mjs runs main.ts through tsx.
 */
export const MAIN_ENTRY = resolve(import.meta.dirname, '..', 'main', 'electron', 'main.ts');
export const MAIN_OUTFILE = resolve(import.meta.dirname, '..', 'out', 'electron', 'main.mjs');

/** Electron 39 runs Node 22. */
const NODE_TARGET = 'node22';

export function mainBuildOptions(outfile: string = MAIN_OUTFILE): BuildOptions {
  return {
    entryPoints: [MAIN_ENTRY],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: NODE_TARGET,
    packages: 'external',
    external: ['electron'],
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  };
}

export async function buildMain(outfile: string = MAIN_OUTFILE): Promise<string> {
  await build(mainBuildOptions(outfile));
  return outfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const file = await buildMain();
  console.warn(`main: ${file}`);
}
