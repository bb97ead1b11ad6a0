import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiResult } from '../../shared/api/client.ts';
import { EVENTS, METHODS } from '../../shared/api/contract.ts';
import { HubError } from '../../shared/errors.ts';
import type { HubEvent } from '../api/event-bus.ts';
import type { CallContext } from '../api/handlers.ts';
import { APP_ENTRY_URL, isAppUrl } from './app-origin.ts';
import { APP_CSP, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol.ts';
import { HUB_CALL_CHANNEL, HUB_EVENT_CHANNEL } from './channels.ts';
import { forwardEvents, isTrustedSender, registerIpc, type CallEvent } from './ipc.ts';
import { BRIDGE_EVENTS, BRIDGE_METHODS, buildPreloadApi, callHub, subscribeHub, type PreloadIpc } from './preload-api.ts';
import { SafeStorageSecretStore, type SafeStorageApi } from './safe-storage-secret-store.ts';
import { claimSingleInstance, focusWindow } from './single-instance.ts';
import type { BrowserWindowConstructorOptions } from 'electron';
import { createMainWindow, hardenSession, hardenWebContents, type HardenableContents } from './window.ts';

/** The exact policy the shell must send (docs/architecture.md §10). */
const EXPECTED_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

describe('app origin', () => {
  it('accepts the app scheme and host only', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://pochub/assets/x.js?y#z')).toBe(true);
    for (const url of ['app://evil/index.html', 'https://pochub/index.html', 'file:///index.html', 'app://user@pochub/', 'app://pochub:8080/', 'not a url', '']) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});

describe('window options', () => {
  it('hardens the renderer with exactly the agreed webPreferences', () => {
    class FakeWindow {
      constructor(readonly options: BrowserWindowConstructorOptions) {}
    }
    const { options } = createMainWindow(FakeWindow, '/app/out/electron/preload.cjs');
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      preload: '/app/out/electron/preload.cjs',
    });
    expect(options.show).toBe(false);
    expect(options.webPreferences?.disableBlinkFeatures).toBe('Auxclick');
    expect(options.webPreferences?.nodeIntegrationInSubFrames).toBe(false);
    expect(options.webPreferences?.nodeIntegrationInWorker).toBe(false);
    // Nothing that would open a hole: no partition sharing, no additional arguments, no blink features.
    expect(Object.keys(options.webPreferences ?? {}).sort()).toEqual(
      ['allowRunningInsecureContent', 'contextIsolation', 'disableBlinkFeatures', 'experimentalFeatures', 'navigateOnDragDrop', 'nodeIntegration', 'nodeIntegrationInSubFrames', 'nodeIntegrationInWorker', 'preload', 'sandbox', 'spellcheck', 'webSecurity', 'webviewTag'].sort(),
    );
  });
});

/** A fake WebContents recording its listeners. */
function fakeContents() {
  const listeners = new Map<string, (event: { url: string; preventDefault: () => void }) => void>();
  let openHandler: (() => { action: string }) | undefined;
  const contents = {
    on: (name: string, listener: (event: { url: string; preventDefault: () => void }) => void) => {
      listeners.set(name, listener);
      return contents;
    },
    setWindowOpenHandler: (handler: () => { action: string }) => {
      openHandler = handler;
    },
  };
  const fire = (name: string, url: string): boolean => {
    const preventDefault = vi.fn();
    const listener = listeners.get(name);
    if (!listener) throw new Error(`no ${name} listener`);
    listener({ url, preventDefault });
    return preventDefault.mock.calls.length > 0;
  };
  return { contents: contents as unknown as HardenableContents, fire, openHandler: () => openHandler };
}

describe('navigation and new windows', () => {
  it('cancels navigation and redirects away from the app origin, keeps the app', () => {
    const { contents, fire } = fakeContents();
    hardenWebContents(contents);
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(fire(name, 'https://evil.example/'), name).toBe(true);
      expect(fire(name, 'file:///etc/passwd'), name).toBe(true);
      expect(fire(name, 'app://other/index.html'), name).toBe(true);
      expect(fire(name, 'app://pochub/index.html#/history'), name).toBe(false);
    }
    expect(fire('will-attach-webview', 'app://pochub/index.html')).toBe(true);
  });

  it('denies every new window', () => {
    const { contents, openHandler } = fakeContents();
    hardenWebContents(contents);
    expect(openHandler()?.()).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    let request: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    let device: (() => boolean) | undefined;
    hardenSession({
      setPermissionRequestHandler: (h: typeof request) => void (request = h),
      setPermissionCheckHandler: (h: typeof check) => void (check = h),
      setDevicePermissionHandler: (h: typeof device) => void (device = h),
    } as unknown as Parameters<typeof hardenSession>[0]);
    for (const permission of ['media', 'geolocation', 'notifications', 'hid', 'serial', 'clipboard-read']) {
      const callback = vi.fn();
      request?.({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(check?.()).toBe(false);
    expect(device?.()).toBe(false);
  });
});

describe('app protocol', () => {
  let root: string;
  let outside: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pochub-ui-'));
    outside = mkdtempSync(join(tmpdir(), 'pochub-secret-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>POC Hub</title>');
    writeFileSync(join(root, 'assets', 'app-1.js'), 'console.log(1)');
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    symlinkSync(join(outside, 'secret.txt'), join(root, 'assets', 'link.txt'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  const get = (url: string, method = 'GET') => createAppProtocolHandler(root)({ method, url });

  it('serves the built UI with the strict CSP on every answer', async () => {
    expect(APP_CSP).toBe(EXPECTED_CSP);
    const index = await get('app://pochub/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect(await index.text()).toContain('<title>POC Hub</title>');
    const script = await get('app://pochub/assets/app-1.js');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    // The UI's own routes get index.html; a missing asset is a 404, with the CSP too.
    expect(await (await get('app://pochub/history')).text()).toContain('POC Hub');
    const missing = await get('app://pochub/assets/none.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
  });

  it('refuses paths outside the UI folder, other hosts and other methods', async () => {
    for (const url of ['app://pochub/..%2f..%2fetc%2fpasswd', 'app://pochub/%2e%2e%2f' + 'x', 'app://pochub/assets/link.txt', 'app://evil/index.html']) {
      const res = await get(url);
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('content-security-policy'), url).toBe(EXPECTED_CSP);
      expect(await res.text(), url).not.toContain('secret');
    }
    expect((await get('app://pochub/a%5c..%5csecret')).status).toBe(400);
    expect((await get('app://pochub/index.html', 'POST')).status).toBe(405);
  });

  it('says the UI is not built when it is not', async () => {
    rmSync(join(root, 'index.html'));
    const res = await get('app://pochub/');
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/npm run build:ui/);
  });

  it('registers the scheme as standard and secure, without bypassing the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } });
  });
});

/** A fake hub recording its calls. */
function fakeHub() {
  const calls: { method: string; input: unknown; ctx: CallContext }[] = [];
  const listeners = new Set<(event: HubEvent) => void>();
  return {
    calls,
    call: async (method: string, input: unknown, ctx: CallContext): Promise<ApiResult<unknown>> => {
      calls.push({ method, input, ctx });
      return { ok: true, value: { echoed: method } };
    },
    bus: {
      subscribe: (listener: (event: HubEvent) => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    emit: (event: HubEvent) => listeners.forEach((l) => l(event)),
  };
}

/** registerIpc on a fake ipcMain; returns the one handler it installed. */
function installIpc(hub: ReturnType<typeof fakeHub>) {
  const handlers = new Map<string, (event: CallEvent, payload: unknown) => Promise<ApiResult<unknown>>>();
  const ipcMain = {
    handle: (channel: string, handler: (event: CallEvent, payload: unknown) => Promise<ApiResult<unknown>>) => void handlers.set(channel, handler),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
  const off = registerIpc(ipcMain as unknown as Parameters<typeof registerIpc>[0], hub);
  expect([...handlers.keys()]).toEqual([HUB_CALL_CHANNEL]);
  const handler = handlers.get(HUB_CALL_CHANNEL)!;
  return { invoke: handler, off, handlers };
}

const appFrame = { url: 'app://pochub/index.html', parent: null };
const event = (senderFrame: CallEvent['senderFrame']): CallEvent => ({ senderFrame, sender: { id: 7 } });

describe('IPC binding', () => {
  it('trusts only the app origin top-level frame', () => {
    expect(isTrustedSender(appFrame)).toBe(true);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'app://pochub/index.html', parent: appFrame })).toBe(false);
    expect(isTrustedSender({ url: 'file:///index.html', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('refuses a foreign frame or a subframe with FORBIDDEN and never calls the hub', async () => {
    const hub = fakeHub();
    const { invoke } = installIpc(hub);
    const payload = { method: 'getState', input: {} };
    for (const frame of [{ url: 'https://evil.example/', parent: null }, { url: 'app://pochub/index.html', parent: appFrame }, { url: 'app://evil/index.html', parent: null }, null]) {
      const result = await invoke(event(frame), payload);
      expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(hub.calls).toEqual([]);
  });

  it('refuses a payload that is not { method, input } with INPUT_INVALID', async () => {
    const hub = fakeHub();
    const { invoke } = installIpc(hub);
    for (const payload of [undefined, null, 'getState', { input: {} }, { method: 42, input: {} }, { method: '', input: {} }, { method: 'getState', input: {}, extra: 1 }, { method: 'x'.repeat(101), input: {} }]) {
      const result = await invoke(event(appFrame), payload);
      expect(result, JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    }
    expect(hub.calls).toEqual([]);
  });

  it('passes a valid call from the app to hub.call with the ipc binding and the sender', async () => {
    const hub = fakeHub();
    const { invoke, off, handlers } = installIpc(hub);
    const result = await invoke(event(appFrame), { method: 'signIn', input: { badgeId: '1001', pin: '1234' } });
    expect(result).toEqual({ ok: true, value: { echoed: 'signIn' } });
    expect(hub.calls).toEqual([{ method: 'signIn', input: { badgeId: '1001', pin: '1234' }, ctx: { binding: 'ipc', session: 'ipc:7', sender: { id: 7, url: 'app://pochub/index.html' } } }]);
    off();
    expect(handlers.size).toBe(0);
  });

  it('forwards hub events to the app window only while it shows the app', () => {
    const hub = fakeHub();
    const sent: unknown[][] = [];
    let url = APP_ENTRY_URL;
    let destroyed = false;
    const stop = forwardEvents(hub.bus, { send: (...args: unknown[]) => void sent.push(args), isDestroyed: () => destroyed, getURL: () => url } as unknown as Parameters<typeof forwardEvents>[1]);
    const message = { event: 'outbox', payload: [] } as HubEvent;
    hub.emit(message);
    expect(sent).toEqual([[HUB_EVENT_CHANNEL, message]]);
    url = 'https://evil.example/';
    hub.emit(message);
    url = APP_ENTRY_URL;
    destroyed = true;
    hub.emit(message);
    expect(sent).toHaveLength(1);
    stop();
    destroyed = false;
    hub.emit(message);
    expect(sent).toHaveLength(1);
  });

  it("sends the window the state of its own session (one session per window)", () => {
    const hub = fakeHub();
    const sent: unknown[][] = [];
    const asked: string[] = [];
    const own = { event: 'state', payload: { devices: [], demo: false, workstation: 'room-3', locked: false } } as HubEvent;
    const target = { id: 7, send: (...args: unknown[]) => void sent.push(args), isDestroyed: () => false, getURL: () => APP_ENTRY_URL } as unknown as Parameters<typeof forwardEvents>[1];
    const stop = forwardEvents(hub.bus, target, (session) => (asked.push(session), own));
    hub.emit({ event: 'state', payload: { devices: [], demo: false, workstation: 'room-3', operator: { id: 'x', name: 'Someone else', badgeId: '9', role: 'admin' } } } as HubEvent);
    expect(asked).toEqual(['ipc:7']);
    expect(sent).toEqual([[HUB_EVENT_CHANNEL, own]]);
    stop();
  });
});

/** A fake ipcRenderer recording invokes and listeners. */
function fakeIpcRenderer() {
  const invokes: unknown[][] = [];
  const listeners = new Map<string, Set<(event: unknown, message: unknown) => void>>();
  const ipc = {
    invoke: async (...args: unknown[]) => {
      invokes.push(args);
      return { ok: true, value: 'answer' };
    },
    on: (channel: string, listener: (event: unknown, message: unknown) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
      return ipc;
    },
    removeListener: (channel: string, listener: (event: unknown, message: unknown) => void) => {
      listeners.get(channel)?.delete(listener);
      return ipc;
    },
  };
  const push = (message: unknown) => listeners.get(HUB_EVENT_CHANNEL)?.forEach((l) => l({ sender: 'the ipcRenderer' }, message));
  return { ipc: ipc as unknown as PreloadIpc, invokes, push, count: () => listeners.get(HUB_EVENT_CHANNEL)?.size ?? 0 };
}

describe('preload API', () => {
  it('offers exactly the contract methods, by name, plus subscribe', () => {
    const { ipc } = fakeIpcRenderer();
    const api = buildPreloadApi(ipc) as unknown as Record<string, unknown>;
    expect([...BRIDGE_METHODS].sort()).toEqual(Object.keys(METHODS).sort());
    expect([...BRIDGE_EVENTS].sort()).toEqual(Object.keys(EVENTS).sort());
    expect(Object.keys(api).sort()).toEqual([...Object.keys(METHODS), 'subscribe'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
    // Nothing of ipcRenderer leaks through.
    expect(Object.values(api)).not.toContain(ipc);
  });

  it('sends a method call over the one call channel', async () => {
    const { ipc, invokes } = fakeIpcRenderer();
    const api = buildPreloadApi(ipc);
    await expect(api.getState({})).resolves.toEqual({ ok: true, value: 'answer' });
    expect(invokes).toEqual([[HUB_CALL_CHANNEL, { method: 'getState', input: {} }]]);
  });

  it('refuses method names the contract does not have, without sending them', async () => {
    const { ipc, invokes } = fakeIpcRenderer();
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'deleteEverything', '']) {
      await expect(callHub(ipc, name, {}), name).rejects.toThrow(/no hub method/);
    }
    expect(invokes).toEqual([]);
    const api = buildPreloadApi(ipc) as unknown as Record<string, unknown>;
    expect(Object.hasOwn(api, 'deleteEverything')).toBe(false);
  });

  it('subscribes to contract events only, delivering the payload and never the IPC event', () => {
    const { ipc, push, count } = fakeIpcRenderer();
    expect(() => subscribeHub(ipc, 'secrets', () => undefined)).toThrow(/no hub event/);
    expect(() => subscribeHub(ipc, 'toString', () => undefined)).toThrow(/no hub event/);
    const api = buildPreloadApi(ipc);
    const got: unknown[][] = [];
    const off = api.subscribe('outbox', (...args: unknown[]) => void got.push(args));
    push({ event: 'review', payload: { not: 'mine' } });
    push({ event: 'outbox', payload: [1] });
    push('garbage');
    push(null);
    expect(got).toEqual([[[1]]]);
    expect(count()).toBe(1);
    off();
    expect(count()).toBe(0);
  });
});

describe('single instance', () => {
  function fakeApp(locked: boolean) {
    const listeners = new Map<string, () => void>();
    const app = {
      requestSingleInstanceLock: vi.fn(() => locked),
      quit: vi.fn(),
      on: vi.fn((name: string, listener: () => void) => {
        listeners.set(name, listener);
        return app;
      }),
    };
    return { app, listeners };
  }

  it('quits a second instance at once', () => {
    const { app, listeners } = fakeApp(false);
    const focus = vi.fn();
    expect(claimSingleInstance(app as unknown as Parameters<typeof claimSingleInstance>[0], focus)).toBe(false);
    expect(app.quit).toHaveBeenCalledTimes(1);
    expect(listeners.size).toBe(0);
  });

  it('keeps the first instance and focuses its window when another is launched', () => {
    const { app, listeners } = fakeApp(true);
    const focus = vi.fn();
    expect(claimSingleInstance(app as unknown as Parameters<typeof claimSingleInstance>[0], focus)).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
    listeners.get('second-instance')?.();
    expect(focus).toHaveBeenCalledTimes(1);
  });

  it('restores a minimised window before focusing it', () => {
    const calls: string[] = [];
    const window = { isDestroyed: () => false, isMinimized: () => true, restore: () => calls.push('restore'), show: () => calls.push('show'), focus: () => calls.push('focus') };
    focusWindow(window);
    expect(calls).toEqual(['restore', 'show', 'focus']);
    focusWindow(undefined);
    focusWindow({ ...window, isDestroyed: () => true });
    expect(calls).toHaveLength(3);
  });
});

describe('safeStorage secret store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pochub-safe-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A stand-in for the OS keychain: reversible, and visibly not the plain text. */
  function fakeSafeStorage(available = true): SafeStorageApi {
    return {
      isEncryptionAvailable: () => available,
      encryptString: (plain: string) => Buffer.from(`enc:${Buffer.from(plain, 'utf8').toString('hex')}`),
      decryptString: (blob: Buffer) => {
        const text = blob.toString('utf8');
        if (!text.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
        return Buffer.from(text.slice(4), 'hex').toString('utf8');
      },
    };
  }

  it('round-trips secrets, keeping only encrypted blobs on disk', () => {
    const file = join(dir, 'secrets.safe.json');
    const store = new SafeStorageSecretStore(fakeSafeStorage(), file);
    expect(store.get('fhir')).toBeUndefined();
    store.set('fhir', 'Bearer s3cret-token');
    store.set('hl7', 'other');
    expect(new SafeStorageSecretStore(fakeSafeStorage(), file).get('fhir')).toBe('Bearer s3cret-token');
    expect(readFileSync(file, 'utf8')).not.toContain('s3cret');
    store.delete('fhir');
    store.delete('never-there');
    expect(store.get('fhir')).toBeUndefined();
    expect(store.get('hl7')).toBe('other');
  });

  it('refuses with a clear message when the OS offers no encryption', () => {
    const store = new SafeStorageSecretStore(fakeSafeStorage(false), join(dir, 'secrets.safe.json'));
    const attempt = () => store.set('fhir', 'token');
    expect(attempt).toThrow(HubError);
    expect(attempt).toThrow(/no secure storage .*keyring/);
    expect(() => store.get('fhir')).toThrow(/no secure storage/);
  });

  it('reports a damaged file and an undecryptable secret as CONFIG_INVALID', () => {
    const file = join(dir, 'secrets.safe.json');
    writeFileSync(file, '{ not json');
    expect(() => new SafeStorageSecretStore(fakeSafeStorage(), file).get('x')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    writeFileSync(file, JSON.stringify({ v: 1, secrets: { x: Buffer.from('garbage').toString('base64') } }));
    expect(() => new SafeStorageSecretStore(fakeSafeStorage(), file).get('x')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/cannot be decrypted/) }));
  });
});
