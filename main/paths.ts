import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where the hub keeps its store when `--data` is not given: `POCHUB_DATA`, else the OS's
 * per-user data folder (the Electron shell uses app.getPath('userData'), which is the same place).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env['POCHUB_DATA']) return env['POCHUB_DATA'];
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'POC Hub');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'POC Hub');
  return join(env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'pochub');
}

/** The store file inside a data folder. */
export function storeFile(dataDir: string): string {
  return join(dataDir, 'pochub.db');
}

/**
 * Demo mode's own data folder beside the real one (`…/pochub-demo` next to `…/pochub`): demo
 * patients, readings and export targets never land in the real store, and the real folder is not
 * even created by a demo run (docs/architecture.md §8, demo mode).
 */
export function demoDataDir(realDataDir: string): string {
  return `${resolve(realDataDir)}-demo`;
}

/**
 * The data folder of a run: `--data` when given, else the default real folder, or in demo mode
 * demo's own folder. `--demo --data <the default real folder>` is refused: demo data must never
 * meet real data.
 *
 * @returns the folder, or `refused` with the reason in plain words.
 */
export function runDataDir(args: { data?: string; demo: boolean }, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): { dir: string } | { refused: string } {
  const real = defaultDataDir(env, platform);
  if (!args.demo) return { dir: args.data ?? real };
  if (args.data === undefined) return { dir: demoDataDir(real) };
  if (resolve(args.data) === resolve(real)) {
    return { refused: `--demo cannot use ${real}: it is the hub's real data folder. Leave out --data (demo mode has its own folder) or give another folder.` };
  }
  return { dir: args.data };
}
