import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { isAppUrl } from './app-origin.ts';

/** The window's first size; the assistant's screen is usually a 1080p monitor. */
const WINDOW_WIDTH_PX = 1280;
const WINDOW_HEIGHT_PX = 860;
const WINDOW_MIN_WIDTH_PX = 900;
const WINDOW_MIN_HEIGHT_PX = 600;

/** How the app window is made: BrowserWindow, or a fake in tests. */
type WindowConstructor<W> = new (options: BrowserWindowConstructorOptions) => W;

/**
 * Make the app window. Every renderer hardening setting is spelled out, even where it is
 * Electron's default, so a change of default, or of this file, shows up in the tests and in
 * electronegativity's scan (which reads the options where `new BrowserWindow` is written, hence
 * the literal here): the page gets no Node, runs sandboxed in its own JS world, and sees the hub
 * only through the preload's `window.hub`.
 */
export function createMainWindow<W>(BrowserWindow: WindowConstructor<W>, preloadPath: string): W {
  return new BrowserWindow({
    width: WINDOW_WIDTH_PX,
    height: WINDOW_HEIGHT_PX,
    minWidth: WINDOW_MIN_WIDTH_PX,
    minHeight: WINDOW_MIN_HEIGHT_PX,
    title: 'POC Hub',
    // Shown when the first page is painted, so the assistant never sees a white flash.
    show: false,
    webPreferences: {
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // A middle click on a link would ask for a new window; the UI has no use for it.
      disableBlinkFeatures: 'Auxclick',
      preload: preloadPath,
    },
  });
}

/** The WebContents events the hardening listens to (a subset, so tests can pass a fake). */
export type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Keep the window on the app: navigation and redirects to any other origin are cancelled, new
 * windows are never opened (the UI has no external links), and <webview> cannot be attached.
 */
export function hardenWebContents(contents: HardenableContents): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * The session's permission policy: the UI needs no camera, microphone, notifications,
 * geolocation, HID/serial picker or anything else the web platform can ask for — devices are the
 * main process's business — so every request and every check is refused.
 */
export function hardenSession(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
