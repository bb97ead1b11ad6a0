import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session } from 'electron';
import { join } from 'node:path';
import { createHub, type Hub } from '../app.ts';
import { defaultDataDir, demoDataDir } from '../paths.ts';
import { bugLine, isBug } from '../bug-report.ts';
import { APP_ENTRY_URL } from './app-origin.ts';
import { APP_SCHEME_PRIVILEGES, installAppProtocol } from './app-protocol.ts';
import { forwardEvents, registerIpc } from './ipc.ts';
import { SAFE_SECRETS_FILE, SafeStorageSecretStore } from './safe-storage-secret-store.ts';
import { claimSingleInstance, focusWindow } from './single-instance.ts';
import { createMainWindow, hardenSession, hardenWebContents } from './window.ts';

// The Electron main process: the hub core (main/app.ts) in this process, the UI in one
// sandboxed window talking to it over one IPC channel. Wiring only; the parts are in this folder.

/** The bundled preload (npm run build:preload), and the built UI (npm run build:ui). */
export const PRELOAD_PATH = join(import.meta.dirname, '..', '..', 'out', 'electron', 'preload.cjs');
export const RENDERER_DIST = join(import.meta.dirname, '..', '..', 'renderer', 'dist');

// Both must happen before the app is ready: the scheme's privileges, and where userData is —
// the single-instance lock lives there. userData is the hub's own data folder (main/paths.ts),
// so the desktop app, `pochub serve` and the CLI share one store on a workstation.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.setPath('userData', defaultDataDir());

let mainWindow: BrowserWindow | undefined;
let hub: Hub | undefined;

if (claimSingleInstance(app, () => focusWindow(mainWindow))) {
  // Every web contents, present and future, is held to the app origin (defence in depth: the
  // app opens only one window, and that one denies new windows).
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    const running = hub;
    if (!running) return;
    // Close the hub (device sessions, export workers, the store) before the process ends.
    event.preventDefault();
    hub = undefined;
    running
      .close()
      .catch((e: unknown) => console.error(bugLine('closing the hub', e)))
      .finally(() => app.quit());
  });
  // Not awaited at the top level: Electron emits `ready` only once the ESM entry has finished.
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      if (isBug(e)) console.error(bugLine('starting the hub', e));
      dialog.showErrorBox('POC Hub cannot start', e instanceof Error ? e.message : String(e));
      app.exit(1);
    });
}

async function start(): Promise<void> {
  const demo = process.argv.includes('--demo');
  // Demo mode keeps its own store beside the real one (docs/architecture.md §8, demo mode).
  const dataDir = demo ? demoDataDir(app.getPath('userData')) : app.getPath('userData');
  hub = createHub({
    dataDir,
    demo,
    secrets: new SafeStorageSecretStore(safeStorage, join(dataDir, SAFE_SECRETS_FILE)),
  });
  hardenSession(session.defaultSession);
  installAppProtocol(session.defaultSession.protocol, RENDERER_DIST);
  registerIpc(ipcMain, hub);

  const window = createMainWindow(BrowserWindow, PRELOAD_PATH);
  mainWindow = window;
  const opened = hub;
  const stopEvents = forwardEvents(opened.bus, window.webContents, (session) => ({ event: 'state', payload: opened.stateOf(session) }));
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    stopEvents();
    mainWindow = undefined;
  });
  await window.loadURL(APP_ENTRY_URL);
}
