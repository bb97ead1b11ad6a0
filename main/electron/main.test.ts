import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * main/electron/main.ts against a fake `electron` module (the binary cannot run here): the
 * single-instance lock, and the wiring of a first instance: scheme, hub, IPC, window, quit.
 */
const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  const state = {
    locked: true,
    appListeners: new Map<string, Listener>(),
    windows: [] as { options: unknown; url?: string; listeners: Map<string, Listener> }[],
    ipcHandlers: new Map<string, Listener>(),
    privileged: [] as unknown[],
    protocolSchemes: [] as string[],
    paths: new Map<string, string>(),
    quit: 0,
    errors: [] as string[],
    ready: Promise.resolve(),
  };
  class BrowserWindow {
    readonly webContents = { id: 3, send: () => undefined, isDestroyed: () => false, getURL: () => 'app://pochub/index.html' };
    private readonly record: (typeof state.windows)[number];
    constructor(options: unknown) {
      this.record = { options, listeners: new Map() };
      state.windows.push(this.record);
    }
    once(name: string, listener: Listener) {
      this.record.listeners.set(name, listener);
    }
    on(name: string, listener: Listener) {
      this.record.listeners.set(name, listener);
    }
    async loadURL(url: string) {
      this.record.url = url;
    }
  }
  const app = {
    requestSingleInstanceLock: () => state.locked,
    quit: () => void state.quit++,
    exit: () => undefined,
    on: (name: string, listener: Listener) => void state.appListeners.set(name, listener),
    whenReady: () => state.ready,
    setPath: (name: string, path: string) => void state.paths.set(name, path),
    getPath: (name: string) => state.paths.get(name) ?? '/nowhere',
  };
  const session = {
    defaultSession: {
      setPermissionRequestHandler: () => undefined,
      setPermissionCheckHandler: () => undefined,
      setDevicePermissionHandler: () => undefined,
      protocol: { handle: (scheme: string) => void state.protocolSchemes.push(scheme) },
    },
  };
  const electron = {
    app,
    BrowserWindow,
    session,
    dialog: { showErrorBox: (_title: string, message: string) => void state.errors.push(message) },
    ipcMain: { handle: (channel: string, listener: Listener) => void state.ipcHandlers.set(channel, listener), removeHandler: () => undefined },
    protocol: { registerSchemesAsPrivileged: (schemes: unknown[]) => void state.privileged.push(...schemes) },
    safeStorage: { isEncryptionAvailable: () => false, encryptString: () => Buffer.alloc(0), decryptString: () => '' },
  };
  return { state, electron };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

describe('the Electron main process', () => {
  let dataDir: string;
  beforeEach(() => {
    vi.resetModules();
    dataDir = mkdtempSync(join(tmpdir(), 'pochub-electron-'));
    vi.stubEnv('POCHUB_DATA', dataDir);
    Object.assign(fake.state, { locked: true, quit: 0, errors: [], privileged: [], protocolSchemes: [], windows: [] });
    fake.state.appListeners.clear();
    fake.state.ipcHandlers.clear();
    fake.state.paths.clear();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('quits at once when another instance holds the lock, touching nothing', async () => {
    fake.state.locked = false;
    await import('./main.ts');
    expect(fake.state.quit).toBe(1);
    expect(fake.state.appListeners.size).toBe(0);
    expect(fake.state.ipcHandlers.size).toBe(0);
    expect(fake.state.windows).toHaveLength(0);
  });

  it('starts the hub in userData, one IPC channel, one hardened window on the app origin, and closes the hub on quit', async () => {
    await import('./main.ts');
    expect(fake.state.paths.get('userData')).toBe(dataDir);
    expect(fake.state.privileged).toEqual([expect.objectContaining({ scheme: 'app' })]);
    await vi.waitFor(() => expect(fake.state.windows[0]?.url).toBe('app://pochub/index.html'));
    expect(fake.state.errors).toEqual([]);
    expect(fake.state.protocolSchemes).toEqual(['app']);
    expect([...fake.state.ipcHandlers.keys()]).toEqual(['hub:call']);
    const options = fake.state.windows[0]?.options as { webPreferences: Record<string, unknown> };
    expect(options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(String(options.webPreferences['preload'])).toMatch(/out[\\/]electron[\\/]preload\.cjs$/);
    expect([...fake.state.appListeners.keys()].sort()).toEqual(['second-instance', 'web-contents-created', 'will-quit', 'window-all-closed'].sort());

    // A call from the app's own frame reaches the real hub.
    const handler = fake.state.ipcHandlers.get('hub:call')!;
    const result = await handler({ senderFrame: { url: 'app://pochub/index.html', parent: null }, sender: { id: 3 } }, { method: 'getState', input: {} });
    expect(result).toMatchObject({ ok: true, value: { demo: false } });

    // Quitting waits for the hub to close, then quits for real.
    const preventDefault = vi.fn();
    fake.state.appListeners.get('will-quit')?.({ preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(fake.state.quit).toBe(1));
  });
});
