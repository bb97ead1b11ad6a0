import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

/** What the browser is told a file is; anything else is served as bytes (with nosniff). */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type of a built renderer file (browser mode and the Electron app protocol share it). */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Shown instead of the UI when `renderer/dist` has not been built. */
export const NOT_BUILT_TEXT = 'POC Hub: the UI is not built: run npm run build:ui\n';

/**
 * Serve the built renderer (Vite output) from `root`: `/` is index.html; a path without an
 * extension that names no file is the app's own route, so it gets index.html too. Anything that
 * resolves outside `root` (`..`, encoded slashes, symlinks) is refused.
 */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, headers: Record<string, string>): Promise<void> {
  const send = (status: number, text: string, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
    res.end(req.method === 'HEAD' ? undefined : text);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n', { Allow: 'GET, HEAD' });

  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  } catch {
    return send(400, 'bad path\n');
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return send(400, 'bad path\n');

  const base = resolve(root);
  const rootReal = await realpath(base).catch(() => undefined);
  const index = rootReal === undefined ? undefined : await fileAt(rootReal, 'index.html');
  if (rootReal === undefined || index === undefined) {
    return pathname === '/' || extname(pathname) === '' ? send(503, NOT_BUILT_TEXT) : send(404, 'not found\n');
  }
  const wanted = resolve(base, `.${pathname}`);
  if (!inside(base, wanted)) return send(403, 'forbidden\n');
  let file = pathname === '/' ? index : await fileAt(rootReal, wanted);
  if (file === undefined && extname(pathname) === '') file = index;
  if (file === undefined) return send(404, 'not found\n');
  // A symlink inside the folder may point outside it: check where the file really is.
  if (!inside(rootReal, file)) return send(403, 'forbidden\n');

  const isIndex = file === index;
  const info = await stat(file);
  res.writeHead(200, {
    ...headers,
    'Content-Type': contentTypeOf(file),
    'Content-Length': String(info.size),
    // Vite names assets by content hash; index.html must be fetched fresh to pick up a new build.
    'Cache-Control': isIndex ? 'no-store' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** The real path of a regular file at `path` (relative to `root` or absolute), or undefined. */
async function fileAt(root: string, path: string): Promise<string | undefined> {
  try {
    const real = await realpath(resolve(root, path));
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}
