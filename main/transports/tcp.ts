import { createConnection, createServer, type Socket } from 'node:net';
import { CancelledError, HubError } from '../../shared/errors.ts';
import { LinkBase, type Link } from '../../drivers/kit/index.ts';

/** How long `connect` waits by default; a serial-to-Ethernet box on the LAN answers in well under that. */
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/**
 * Keep-alive probe delay. A box that loses power never sends a FIN, so without probes a link
 * would look open forever; the kernel's default (2 hours) is far too late for a bedside device.
 */
const KEEPALIVE_DELAY_MS = 10_000;
/** How long close() lets unsent bytes go out before it drops the connection. */
const CLOSE_FLUSH_MS = 1_000;

/** A bytes-mode Link over one TCP connection. */
class TcpLink extends LinkBase {
  readonly mode = 'bytes' as const;
  private closing = false;

  constructor(
    private readonly socket: Socket,
    private readonly peer: string,
  ) {
    super();
    socket.setNoDelay(true); // protocol handshakes (ENQ/ACK) are single bytes; do not hold them back
    socket.setKeepAlive(true, KEEPALIVE_DELAY_MS);
    socket.on('data', (chunk: Buffer) => this.deliver(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    // Every way a connection ends comes through 'close'; 'error' only says why (it precedes it).
    let reason: Error | undefined;
    socket.on('error', (error) => {
      reason = error;
    });
    const hangUp = (): void => {
      if (this.closing) return;
      const why = reason ? reason.message : 'the other side closed the connection';
      this.ended(new HubError('TRANSPORT_CLOSED', `the device was disconnected (${this.peer}: ${why})`, { cause: reason }));
    };
    socket.on('close', hangUp);
    // A listener's queued connection may have died before anyone accepted it.
    if (socket.destroyed) hangUp();
  }

  protected send(data: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      // The callback runs once the bytes are handed to the kernel, so awaiting it also respects
      // back-pressure from a slow box.
      this.socket.write(data, (error) => {
        if (!error) return resolve();
        reject(new HubError('TRANSPORT_CLOSED', `could not send to ${this.peer}: ${error.message}`, { cause: error }));
      });
    });
  }

  protected shutdown(): Promise<void> {
    this.closing = true;
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      // end() flushes what is queued and sends FIN; a peer that stops reading must not hold us.
      const timer = setTimeout(() => this.socket.destroy(), CLOSE_FLUSH_MS);
      this.socket.once('close', () => clearTimeout(timer));
      this.socket.end(() => this.socket.destroy());
    });
  }
}

/**
 * Connect to a serial-to-Ethernet box (or a networked analyzer) as a bytes-mode Link.
 *
 * Rejects with a HubError: TRANSPORT_TIMEOUT (no answer within `connectTimeoutMs`, default
 * {@link DEFAULT_CONNECT_TIMEOUT_MS}), TRANSPORT_NOT_FOUND (unknown host name),
 * TRANSPORT_OPEN_FAILED (refused, unreachable, …); CancelledError when `signal` aborts.
 * Once open, the box closing or resetting the connection ends the link with TRANSPORT_CLOSED.
 */
export function openTcpLink(
  host: string,
  port: number,
  options: { connectTimeoutMs?: number; signal?: AbortSignal } = {},
): Promise<Link> {
  const peer = `${host}:${port}`;
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new CancelledError(`connecting to ${peer} was cancelled`));
    const socket = createConnection({ host, port });
    const settle = (error?: HubError): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.off('connect', onConnect);
      if (!error) return resolve(new TcpLink(socket, peer));
      socket.destroy();
      reject(error);
    };
    const onConnect = (): void => settle();
    const onError = (error: NodeJS.ErrnoException): void => settle(connectError(peer, error));
    const onAbort = (): void => settle(new CancelledError(`connecting to ${peer} was cancelled`));
    const timer = setTimeout(
      () => settle(new HubError('TRANSPORT_TIMEOUT', `no answer from ${peer} within ${timeoutMs} ms: check the address and that the device is on the network`)),
      timeoutMs,
    );
    socket.once('connect', onConnect);
    socket.once('error', onError);
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function connectError(peer: string, cause: NodeJS.ErrnoException): HubError {
  switch (cause.code) {
    case 'ECONNREFUSED':
      return new HubError('TRANSPORT_OPEN_FAILED', `${peer} refused the connection: check the port number and that the device accepts connections`, { cause });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new HubError('TRANSPORT_NOT_FOUND', `the host name in ${peer} could not be found: check the address`, { cause });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new HubError('TRANSPORT_OPEN_FAILED', `${peer} cannot be reached: check the network cable and the address`, { cause });
    default:
      return new HubError('TRANSPORT_OPEN_FAILED', `could not connect to ${peer}: ${cause.message}`, { cause });
  }
}

/** The listening side, for simulators that play a networked device (`pochub simulate --tcp`). */
export interface TcpListener {
  /** The port actually bound (useful when 0 asked for any free port). */
  readonly port: number;
  /** The next incoming connection as a Link; connections that arrive early wait in a queue. */
  accept(): Promise<Link>;
  /** Stop listening; pending accepts reject with TRANSPORT_CLOSED. Accepted links stay open. */
  close(): Promise<void>;
}

/**
 * Listen for TCP connections on `host:port` (default loopback only: a simulator should not be
 * reachable from the ward network by accident).
 */
export function listenTcpLink(port: number, host = '127.0.0.1'): Promise<TcpListener> {
  const queued: Socket[] = [];
  const waiting: { resolve: (link: Link) => void; reject: (error: HubError) => void }[] = [];
  let stopped = false;
  const wrap = (socket: Socket): Link => new TcpLink(socket, `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`);
  const server = createServer((socket) => {
    const next = waiting.shift();
    if (next) return next.resolve(wrap(socket));
    // Until accepted nobody listens for 'error', and an unheard socket error kills the process.
    socket.on('error', () => undefined);
    queued.push(socket);
  });
  return new Promise((resolve, reject) => {
    let listening = false;
    server.on('error', (cause: NodeJS.ErrnoException) => {
      const why = cause.code === 'EADDRINUSE' ? `port ${port} is already in use` : cause.message;
      const error = new HubError('TRANSPORT_OPEN_FAILED', `could not listen on ${host}:${port}: ${why}`, { cause });
      if (!listening) return reject(error);
      for (const w of waiting.splice(0)) w.reject(error);
    });
    server.listen(port, host, () => {
      listening = true;
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      resolve({
        port: bound,
        accept(): Promise<Link> {
          if (stopped) return Promise.reject(new HubError('TRANSPORT_CLOSED', 'the TCP listener is closed'));
          const socket = queued.shift();
          if (socket) return Promise.resolve(wrap(socket));
          return new Promise((res, rej) => waiting.push({ resolve: res, reject: rej }));
        },
        async close(): Promise<void> {
          if (stopped) return;
          stopped = true;
          // server.close() only stops new connections; its callback would wait for accepted
          // links too, which belong to their callers, so we do not wait for it.
          server.close();
          for (const socket of queued.splice(0)) socket.destroy();
          for (const w of waiting.splice(0)) w.reject(new HubError('TRANSPORT_CLOSED', 'the TCP listener is closed'));
        },
      });
    });
  });
}
