import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { ApiResult } from '../../shared/api/client.ts';
import type { ErrorCode } from '../../shared/errors.ts';
import { bugLine } from '../bug-report.ts';
import type { EventBus, HubEvent } from './event-bus.ts';
import { BUG_CODE, type CallContext } from './handlers.ts';
import { bearerToken, httpStatus, makeToken, refusal, securityHeaders, tokenMatches } from './http-guard.ts';
import { serveStatic } from './static-files.ts';

/** The only address the hub listens on: browser mode is for this workstation alone. */
const LOOPBACK = '127.0.0.1';
/** Largest API request body; the biggest input (500 reading ids) is well under 64 KiB. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Event socket path (the agreed binding). */
const EVENTS_PATH = '/api/events';
/** Nothing the UI sends on the event socket is needed; a larger message closes it. */
const WS_MAX_PAYLOAD_BYTES = 4096;
/** A client that has not answered a ping for this long is gone (laptop lid closed, tab killed). */
const WS_HEARTBEAT_MS = 30_000;
/** A client that lets this much pile up unread is cut off rather than growing the hub's memory. */
const WS_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** On shutdown, clients get this long to acknowledge the close before their sockets are cut. */
const WS_CLOSE_GRACE_MS = 500;

/** Where a browser's sessions live (main/workflow WorkSessions has these). */
export interface SessionRegistry {
  /** A new session; its key becomes the cookie value. */
  open(): string;
  /** Whether a presented cookie names a live session. */
  isOpen(key: string): boolean;
}

interface HttpServerOptions {
  /** 0: any free port (the one chosen is in the result). */
  port: number;
  /** Run one API method (main/api/handlers.ts callMethod, bound to the hub). */
  call(method: string, input: unknown, ctx: CallContext): Promise<ApiResult<unknown>>;
  bus: EventBus;
  /** The built renderer (renderer/dist). */
  staticDir: string;
  /** Use this token instead of a fresh random one (a supervised restart that must keep its URL). */
  token?: string;
  /** Events sent to a client as soon as it connects (the current state of its session, so it resynchronises). */
  greeting?: (session: string) => HubEvent[];
  /**
   * The `state` event as one session sees it (who is signed in there): every `state` event on the
   * bus is replaced by this for each socket. Unset: sent as the bus has it.
   */
  stateOf?: (session: string) => HubEvent;
  /** The browsers' sessions (default: a registry of its own, for tests of the binding alone). */
  sessions?: SessionRegistry;
  log: (line: string) => void;
  maxBodyBytes?: number;
}

export interface HttpServer {
  readonly port: number;
  readonly token: string;
  /** The URL to open: `http://127.0.0.1:<port>/?token=<token>`. */
  readonly url: string;
  address(): AddressInfo;
  /** Event sockets open right now. */
  clientCount(): number;
  /** Stop accepting, close the event sockets, end open connections. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Browser mode's binding of the API (docs/architecture.md §10):
 * `POST /api/<method>` with a bearer token and a JSON body, events on a WebSocket at
 * /api/events, and the built UI, on 127.0.0.1 only, with Host and Origin checked on every request.
 * The token is the door key; who is signed in is per browser session, named by an HttpOnly,
 * SameSite=Strict cookie the first API call (or event socket) without a live one is given.
 */
export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const token = opts.token ?? makeToken();
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD_BYTES });
  const clients = new Set<WebSocket>();
  const alive = new WeakSet<WebSocket>();
  const sessionOf = new WeakMap<WebSocket, string>();
  const sessions = opts.sessions ?? ownRegistry();
  let port = opts.port;

  const json = (res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { ...securityHeaders(port), 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': String(Buffer.byteLength(text)), ...extra });
    res.end(text);
  };
  const fail = (res: ServerResponse, status: number, code: ErrorCode, message: string, extra: Record<string, string> = {}): void =>
    json(res, status, { ok: false, error: { code, message } }, extra);

  const api = async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    if (pathname === EVENTS_PATH) return fail(res, 426, 'INPUT_INVALID', `${EVENTS_PATH} is a WebSocket`, { Upgrade: 'websocket' });
    if (req.method !== 'POST') return fail(res, 405, 'INPUT_INVALID', 'API methods are called with POST', { Allow: 'POST' });
    if (!tokenMatches(bearerToken(req.headers.authorization), token)) {
      return fail(res, 401, 'AUTH_REQUIRED', 'A valid token is required: open the address the hub printed.', { 'WWW-Authenticate': 'Bearer' });
    }
    const body = await readBody(req, maxBody);
    if (body === 'too-large') return fail(res, 413, 'INPUT_INVALID', `The request is larger than ${maxBody} bytes.`, { Connection: 'close' });
    let input: unknown = {};
    if (body.trim() !== '') {
      try {
        input = JSON.parse(body);
      } catch {
        return fail(res, 400, 'INPUT_INVALID', 'The request body is not JSON.');
      }
    }
    const { session, setCookie } = sessionFor(req.headers.cookie, sessions);
    const result = await opts.call(pathname.slice('/api/'.length), input, { binding: 'http', session });
    json(res, result.ok ? 200 : httpStatus(result.error.code), result, setCookie === undefined ? {} : { 'Set-Cookie': setCookie });
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const refused = refusal(req.headers, port);
    if (refused) return fail(res, 403, 'FORBIDDEN', refused);
    const pathname = new URL(req.url ?? '/', `http://${LOOPBACK}`).pathname;
    const work = pathname.startsWith('/api/') ? api(req, res, pathname) : serveStatic(req, res, opts.staticDir, securityHeaders(port));
    work.catch((e: unknown) => {
      opts.log(bugLine(`${req.method ?? '?'} ${pathname}`, e));
      if (!res.headersSent) fail(res, 500, BUG_CODE, 'The hub hit an unexpected error; it has been logged.');
      else res.destroy();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    if (url.pathname !== EVENTS_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (refusal(req.headers, port)) return refuseUpgrade(socket, 403, 'Forbidden');
    const presented = url.searchParams.get('token') ?? bearerToken(req.headers.authorization);
    if (!tokenMatches(presented, token)) return refuseUpgrade(socket, 401, 'Unauthorized');
    const { session, setCookie } = sessionFor(req.headers.cookie, sessions);
    if (setCookie !== undefined) pendingCookies.set(req, setCookie);
    wss.handleUpgrade(req, socket, head, (ws) => {
      sessionOf.set(ws, session);
      clients.add(ws);
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => ws.terminate());
      // The socket carries events one way; what a client sends is ignored.
      for (const event of opts.greeting?.(session) ?? []) send(ws, JSON.stringify(event));
    });
  });

  const send = (ws: WebSocket, text: string): void => {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > WS_MAX_BUFFERED_BYTES) {
      ws.terminate();
      return;
    }
    ws.send(text);
  };
  // A socket opened without a live cookie gets its new one on the 101 answer.
  const pendingCookies = new WeakMap<IncomingMessage, string>();
  wss.on('headers', (headers, req) => {
    const cookie = pendingCookies.get(req);
    if (cookie !== undefined) headers.push(`Set-Cookie: ${cookie}`);
  });
  const unsubscribe = opts.bus.subscribe((event) => {
    if (clients.size === 0) return;
    const stateOf = opts.stateOf;
    if (event.event === 'state' && stateOf !== undefined) {
      // Each client is told of ITS session: who is signed in elsewhere is none of its business.
      for (const ws of clients) send(ws, JSON.stringify(stateOf(sessionOf.get(ws) ?? '')));
      return;
    }
    const text = JSON.stringify(event);
    for (const ws of clients) send(ws, text);
  });
  const heartbeat = setInterval(() => {
    for (const ws of clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, WS_HEARTBEAT_MS);
  heartbeat.unref();

  try {
    await listen(server, opts.port);
  } catch (e) {
    clearInterval(heartbeat);
    unsubscribe();
    throw e;
  }
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    unsubscribe();
    clearInterval(heartbeat);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await Promise.all(
      [...clients].map(
        (ws) =>
          new Promise<void>((resolve) => {
            const cut = setTimeout(() => ws.terminate(), WS_CLOSE_GRACE_MS);
            ws.once('close', () => {
              clearTimeout(cut);
              resolve();
            });
            ws.close(1001, 'the hub is stopping');
          }),
      ),
    );
    wss.close();
    server.closeAllConnections();
    await closed;
  };

  return {
    port,
    token,
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    address: () => server.address() as AddressInfo,
    clientCount: () => clients.size,
    close: () => (closing ??= close()),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** The body as text, or 'too-large' as soon as it passes `limit` bytes (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<string | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        req.removeAllListeners('data');
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The session cookie's name. */
export const SESSION_COOKIE = 'pochub_session';

/**
 * The session a request belongs to: its cookie's, when that names a live session; otherwise a new,
 * empty one (never someone else's) with the Set-Cookie header that hands it to the browser.
 * No `Secure`: browser mode is plain http on the loopback address.
 */
function sessionFor(cookieHeader: string | undefined, sessions: SessionRegistry): { session: string; setCookie?: string } {
  const presented = readCookie(cookieHeader, SESSION_COOKIE);
  if (presented !== undefined && sessions.isOpen(presented)) return { session: presented };
  const session = sessions.open();
  return { session, setCookie: `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/` };
}

/** One cookie's value from a Cookie header (the last one when repeated), or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  let value: string | undefined;
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) value = part.slice(at + 1).trim();
  }
  return value === '' ? undefined : value;
}

/** A registry of random keys alone, for a server started without the workflow's sessions. */
function ownRegistry(): SessionRegistry {
  const keys = new Set<string>();
  return {
    open: () => {
      const key = makeToken();
      keys.add(key);
      return key;
    },
    isOpen: (key) => keys.has(key),
  };
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
