import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import { APP_SCHEME, isAppUrl } from './app-origin.ts';
import { contentTypeOf } from '../api/static-files.ts';

/**
 * The Content-Security-Policy of every answer of the app protocol. Stricter than browser mode's
 * (main/api/http-guard.ts): in Electron the UI talks to the hub over IPC only, so it needs no
 * WebSocket and no form target, and everything not listed is refused by `default-src 'none'`.
 */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every answer of the app protocol, errors included. */
const APP_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': APP_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};


/**
 * The scheme's privileges. `standard` + `secure` give it a real origin ('self' in the CSP, a
 * secure context); `supportFetchAPI` + `corsEnabled` let Vite's `<script type="module"
 * crossorigin>` load. Deliberately not `bypassCSP`: the CSP above must hold.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
};

/** A request the handler needs: method and URL (the global Request has both). */
interface AppRequest {
  readonly method: string;
  readonly url: string;
}

/**
 * The app protocol's handler: serves only files under `root` (the built renderer). `/` and any
 * extensionless path that names no file get index.html (the UI's own routes); anything that
 * resolves outside `root` (`..`, encoded separators, symlinks) is refused.
 */
export function createAppProtocolHandler(root: string): (request: AppRequest) => Promise<Response> {
  const base = resolve(root);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, 'method not allowed\n');
    if (!isAppUrl(request.url)) return answer(403, 'forbidden\n');
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url).pathname);
    } catch {
      return answer(400, 'bad path\n');
    }
    if (pathname.includes('\0') || pathname.includes('\\')) return answer(400, 'bad path\n');

    const rootReal = await realFile(base, '.', 'directory');
    const index = rootReal === undefined ? undefined : await realFile(rootReal, 'index.html', 'file');
    if (rootReal === undefined || index === undefined) return answer(503, 'POC Hub: the UI is not built: run npm run build:ui\n');
    const wanted = resolve(base, `.${pathname}`);
    if (!inside(base, wanted)) return answer(403, 'forbidden\n');
    let file = pathname === '/' ? index : await realFile(rootReal, wanted, 'file');
    if (file === undefined && extname(pathname) === '') file = index;
    if (file === undefined) return answer(404, 'not found\n');
    // A symlink inside the folder may point outside it: check where the file really is.
    if (!inside(rootReal, file)) return answer(403, 'forbidden\n');

    const body = request.method === 'HEAD' ? null : await readFile(file);
    return new Response(body, {
      status: 200,
      headers: { ...APP_HEADERS, 'Content-Type': contentTypeOf(file), 'Cache-Control': 'no-cache' },
    });
  };
}

/** Serve the built renderer on the app scheme (call after the app is ready). */
export function installAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(root));
}

function answer(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...APP_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}

/** The real path of a file or directory at `path` (relative to `root` or absolute), or undefined. */
async function realFile(root: string, path: string, kind: 'file' | 'directory'): Promise<string | undefined> {
  try {
    const real = await realpath(resolve(root, path));
    const info = await stat(real);
    return (kind === 'file' ? info.isFile() : info.isDirectory()) ? real : undefined;
  } catch {
    return undefined;
  }
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}
