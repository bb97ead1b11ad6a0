import { homedir } from 'node:os';
import { join } from 'node:path';

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
