import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { EVENTS, METHODS } from '../shared/api/contract.ts';

/**
 * Bundle the preload (main/electron/preload.ts and what it imports from shared/) into one
 * CommonJS file: a sandboxed preload runs in a renderer with no module loader of its own and can
 * `require` nothing but 'electron' (and a few polyfills), so local imports must be inlined.
 *
 * Run: `npm run build:preload` (writes out/electron/preload.cjs).
 */
export const PRELOAD_ENTRY = resolve(import.meta.dirname, '..', 'main', 'electron', 'preload.ts');
export const PRELOAD_OUTFILE = resolve(import.meta.dirname, '..', 'out', 'electron', 'preload.cjs');
const CONTRACT_FILE = resolve(import.meta.dirname, '..', 'shared', 'api', 'contract.ts');

/** Electron 39 ships Chromium 142; the bundle needs no syntax lowered below that. */
const CHROME_TARGET = 'chrome142';

/**
 * The preload needs only the contract's method and event names, not its schemas (the renderer
 * and main check the data). Bundling the contract would pull zod and the code catalog into the
 * preload (~800 kB); instead the contract module is replaced by its names, read from the real
 * contract at build time, so the preload still offers exactly the contract's methods. Should the
 * preload ever use more of the contract, the build fails with "No matching export".
 */
export function contractNamesPlugin(): Plugin {
  const names = (o: object): Record<string, true> => Object.fromEntries(Object.keys(o).map((k) => [k, true]));
  return {
    name: 'contract-names',
    setup(b) {
      b.onResolve({ filter: /contract\.ts$/ }, (args) => {
        const path = resolve(args.resolveDir, args.path);
        return path === CONTRACT_FILE ? { path, namespace: 'contract-names' } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'contract-names' }, () => ({
        contents: `export const METHODS = ${JSON.stringify(names(METHODS))};\nexport const EVENTS = ${JSON.stringify(names(EVENTS))};\n`,
        loader: 'js',
      }));
    },
  };
}

export function preloadBuildOptions(outfile: string = PRELOAD_OUTFILE): BuildOptions {
  return {
    entryPoints: [PRELOAD_ENTRY],
    outfile,
    bundle: true,
    format: 'cjs',
    // 'browser': a sandboxed preload has no Node built-ins, so importing one must fail the build.
    platform: 'browser',
    target: CHROME_TARGET,
    external: ['electron'],
    plugins: [contractNamesPlugin()],
    sourcemap: false,
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
  };
}

/** Build the preload bundle; resolves with the file written. */
export async function buildPreload(outfile: string = PRELOAD_OUTFILE): Promise<string> {
  await build(preloadBuildOptions(outfile));
  return outfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const file = await buildPreload();
  console.warn(`preload: ${file}`);
}
