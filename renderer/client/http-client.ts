import type { ApiResult, HubClient } from '../../shared/api/client.ts';
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../shared/api/contract.ts';
import { UNREACHABLE, parseEventMessage, parseResult, unexpectedAnswer } from './validate.ts';

/** First wait before reopening a closed event socket; doubles on every failed attempt. */
export const RECONNECT_INITIAL_MS = 500;
/** Longest wait between two attempts: a restarted hub is found again within this time. */
export const RECONNECT_MAX_MS = 5_000;

/** What the client needs of a WebSocket; the browser's is wrapped by {@link browserSocket}. */
export type OpenSocket = (
  url: string,
  on: { open(): void; message(data: unknown): void; close(): void },
) => { close(): void };

/** A timer pair, injectable so tests can run the back-off without waiting. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

interface HttpClientOptions {
  /** `http://127.0.0.1:<port>`: the page's own origin in browser mode. */
  readonly origin: string;
  /** The per-run token `pochub serve` printed; undefined makes every call fail with 401. */
  readonly token: string | undefined;
  readonly fetch?: typeof fetch;
  readonly openSocket?: OpenSocket;
  readonly timers?: Timers;
}

/** The browser-mode client, with a way to stop its reconnect loop (tests, page unload). */
interface HttpHubClient extends HubClient {
  close(): void;
}

/** The browser's WebSocket behind {@link OpenSocket}. `onerror` is always followed by `onclose`. */
const browserSocket: OpenSocket = (url, on) => {
  const ws = new WebSocket(url);
  ws.onopen = () => on.open();
  ws.onmessage = (e: MessageEvent) => on.message(e.data);
  ws.onclose = () => on.close();
  return { close: () => ws.close() };
};

const defaultTimers: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };

/**
 * The HubClient of browser mode: `POST /api/<method>` with the bearer token, and one WebSocket
 * on `/api/events` reopened with exponential back-off whenever it closes. The hub counts as
 * reachable while the socket is open and the last request did not fail on the network.
 */
export function createHttpClient(options: HttpClientOptions): HttpHubClient {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const openSocket = options.openSocket ?? browserSocket;
  const timers = options.timers ?? defaultTimers;
  const eventListeners = new Map<EventName, Set<(payload: never) => void>>();
  const connectionListeners = new Set<(connected: boolean) => void>();

  let socketOpen = false;
  let fetchReachable = true;
  // Undefined until the first socket outcome, so the page does not flash "offline" on load.
  let reported: boolean | undefined;
  let socket: { close(): void } | undefined;
  let attempt = 0;
  let retryHandle: unknown;
  let delayMs = RECONNECT_INITIAL_MS;
  let closed = false;
  // The hub hands a browser its session cookie with the answer to a call made without one, and
  // so it does to an event socket (docs/architecture.md §8 rule 1). Opened alongside the page's
  // first call, the socket could get a session of its own while the page signs in to the other
  // one, and then hear a "nobody signed in" state for the page. So the socket first opens once
  // the calls sent before it have been answered (or failed), carrying the cookie they set.
  let socketStarted = false;
  let callsBeforeSocket = 0;

  const report = (): void => {
    const connected = socketOpen && fetchReachable;
    if (connected === reported) return;
    reported = connected;
    for (const listener of connectionListeners) listener(connected);
  };

  const wsUrl = (): string => {
    const url = new URL('/api/events', options.origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (options.token !== undefined) url.searchParams.set('token', options.token);
    return url.toString();
  };

  const scheduleReconnect = (): void => {
    if (closed || retryHandle !== undefined) return;
    retryHandle = timers.set(() => {
      retryHandle = undefined;
      connect();
    }, delayMs);
    delayMs = Math.min(delayMs * 2, RECONNECT_MAX_MS);
  };

  const connect = (): void => {
    if (closed) return;
    // Callbacks of an older socket (closed by us or replaced) must not touch the state.
    const mine = ++attempt;
    socket = openSocket(wsUrl(), {
      open: () => {
        if (mine !== attempt) return;
        socketOpen = true;
        delayMs = RECONNECT_INITIAL_MS;
        report();
      },
      message: (data) => {
        if (mine !== attempt) return;
        const checked = parseEventMessage(data);
        if (!checked) return;
        const { event, payload } = checked;
        // The payload was checked against this event's schema; listeners are kept per event.
        for (const listener of eventListeners.get(event) ?? []) (listener as (p: typeof payload) => void)(payload);
      },
      close: () => {
        if (mine !== attempt) return;
        socket = undefined;
        socketOpen = false;
        report();
        scheduleReconnect();
      },
    });
  };

  const startSocket = (): void => {
    if (socketStarted) return;
    socketStarted = true;
    connect();
  };

  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<ApiResult<MethodOutput<M>>> => {
    const beforeSocket = !socketStarted;
    if (beforeSocket) callsBeforeSocket++;
    const answered = (): void => {
      if (beforeSocket && --callsBeforeSocket === 0) startSocket();
    };
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await doFetch(new URL(`/api/${method}`, options.origin).toString(), { method: 'POST', headers, body: JSON.stringify(input), credentials: 'same-origin' });
    } catch {
      fetchReachable = false;
      answered();
      report();
      return { ok: false, error: UNREACHABLE };
    }
    answered();
    if (!fetchReachable) {
      fetchReachable = true;
      report();
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return { ok: false, error: unexpectedAnswer(`${method}: HTTP ${response.status} without JSON`) };
    }
    return parseResult(method, body);
  };

  return {
    call,
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = eventListeners.get(event);
      if (!set) eventListeners.set(event, (set = new Set()));
      const entry = listener as (payload: never) => void;
      set.add(entry);
      return () => set.delete(entry);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      if (reported !== undefined) listener(reported);
      return () => connectionListeners.delete(listener);
    },
    close() {
      closed = true;
      attempt++;
      if (retryHandle !== undefined) timers.clear(retryHandle);
      retryHandle = undefined;
      socket?.close();
      socket = undefined;
    },
  };
}
