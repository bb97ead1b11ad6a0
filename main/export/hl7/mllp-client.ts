import { connect, type Socket } from 'node:net';
import { parseAck, type Ack } from './ack.ts';
import { encodeFrame, MllpDeframer } from './mllp-frame.ts';

/**
 * A small MLLP client over node:net: one connection, kept open between messages and reopened
 * when it drops; one message in flight at a time, answered by the ACK whose MSA-2 is its
 * MSH-10. Any other ACK on the line (a late answer to an earlier attempt) is ignored.
 * It never throws for network trouble: every way an exchange can end is a value.
 */

type MllpExchange =
  | { readonly kind: 'ack'; readonly ack: Ack }
  | { readonly kind: 'failed'; readonly status: string; readonly message: string };

type WaitResult = { readonly kind: 'ack'; readonly ack: Ack } | { readonly kind: 'gone'; readonly status: string; readonly heardBack: boolean };

interface AckWaiter {
  readonly conn: Connection;
  readonly controlId: string;
  heardBack: boolean;
  readonly resolve: (result: WaitResult) => void;
}

interface Connection {
  readonly socket: Socket;
  readonly ready: Promise<string | undefined>; // undefined when connected, else the error code
  lastError?: string;
}

interface ExchangeOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

const errorCode = (err: unknown): string =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : err instanceof Error ? err.message : String(err);

/** A timer and an abort signal as one promise, with a dispose that leaves nothing behind. */
function deadline(timeoutMs: number, signal: AbortSignal): { promise: Promise<'timeout' | 'aborted'>; dispose: () => void } {
  let dispose = (): void => {};
  const promise = new Promise<'timeout' | 'aborted'>((resolve) => {
    const onAbort = (): void => resolve('aborted');
    const timer = setTimeout(() => resolve('timeout'), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) resolve('aborted');
    dispose = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
  });
  return { promise, dispose };
}

export class MllpClient {
  private conn: Connection | undefined;
  private waiter: AckWaiter | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** Send `message` (its MSH-10 is `controlId`) and wait for its ACK; queued behind any exchange in flight. */
  exchange(message: string, controlId: string, opts: ExchangeOptions): Promise<MllpExchange> {
    const run = this.queue.then(() => this.exchangeNow(encodeFrame(message), controlId, opts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Close the connection; an exchange in flight ends as failed. Resolves when the socket is gone. */
  async close(): Promise<void> {
    this.closed = true;
    const conn = this.conn;
    this.conn = undefined;
    if (conn === undefined || conn.socket.closed) return;
    const gone = new Promise<void>((resolve) => conn.socket.once('close', () => resolve()));
    conn.socket.destroy();
    await gone;
  }

  private async exchangeNow(frame: Buffer, controlId: string, opts: ExchangeOptions): Promise<MllpExchange> {
    if (this.closed) return { kind: 'failed', status: 'closed', message: 'The HL7 exporter is closed.' };
    const reused = this.conn !== undefined;
    const first = await this.attempt(frame, controlId, opts);
    if (first.kind === 'gone' && reused && !first.heardBack && !opts.signal.aborted && !this.closed) {
      // A kept-open connection may have been closed by the receiver while idle, which we learn only
      // when writing. Resending at once on a fresh connection is safe: the bytes and MSH-10 are the
      // same, and a receiver that did get the first copy treats this one as a duplicate.
      return this.toExchange(await this.attempt(frame, controlId, opts));
    }
    return this.toExchange(first);
  }

  private toExchange(r: WaitResult | { kind: 'failed'; status: string; message: string }): MllpExchange {
    if (r.kind === 'ack' || r.kind === 'failed') return r;
    return { kind: 'failed', status: r.status, message: this.goneMessage(r.status) };
  }

  private goneMessage(status: string): string {
    const where = `${this.host}:${this.port}`;
    if (status === 'ECONNREFUSED') return `Nothing is listening on ${where}.`;
    if (status === 'ENOTFOUND' || status === 'EAI_AGAIN') return `The host ${this.host} could not be found.`;
    if (status === 'closed') return `${where} closed the connection before acknowledging the message.`;
    return `The connection to ${where} failed before the message was acknowledged (${status}).`;
  }

  private async attempt(frame: Buffer, controlId: string, opts: ExchangeOptions): Promise<WaitResult | { kind: 'failed'; status: string; message: string }> {
    const limit = deadline(opts.timeoutMs, opts.signal);
    try {
      const conn = this.connection();
      const connected = await Promise.race([conn.ready, limit.promise]);
      if (connected === 'timeout' || connected === 'aborted') return this.giveUp(connected, opts.timeoutMs, 'connecting');
      if (connected !== undefined) return { kind: 'gone', status: connected, heardBack: false };
      const answer = await Promise.race([this.waitForAck(conn, frame, controlId), limit.promise]);
      if (answer === 'timeout' || answer === 'aborted') return this.giveUp(answer, opts.timeoutMs, 'waiting for the ACK');
      return answer;
    } finally {
      limit.dispose();
      this.waiter = undefined;
    }
  }

  /** After a timeout or an abort the line is in an unknown state: drop it, the next attempt reconnects. */
  private giveUp(why: 'timeout' | 'aborted', timeoutMs: number, phase: string): { kind: 'failed'; status: string; message: string } {
    this.conn?.socket.destroy();
    this.conn = undefined;
    if (why === 'aborted') return { kind: 'failed', status: 'aborted', message: 'The hub is stopping; the message will be sent again later.' };
    return { kind: 'failed', status: 'timeout', message: `No answer from ${this.host}:${this.port} within ${timeoutMs} ms while ${phase}.` };
  }

  private waitForAck(conn: Connection, frame: Buffer, controlId: string): Promise<WaitResult> {
    return new Promise<WaitResult>((resolve) => {
      if (conn.socket.destroyed || this.conn !== conn) {
        resolve({ kind: 'gone', status: conn.lastError ?? 'closed', heardBack: false });
        return;
      }
      this.waiter = { conn, controlId, heardBack: false, resolve };
      conn.socket.write(frame);
    });
  }

  /** The open connection, or a new one; its listeners route frames and loss to the current waiter. */
  private connection(): Connection {
    if (this.conn !== undefined && !this.conn.socket.destroyed) return this.conn;
    const socket = connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    const deframer = new MllpDeframer();
    let settle: (v: string | undefined) => void = () => {};
    const conn: Connection = { socket, ready: new Promise((resolve) => (settle = resolve)) };
    socket.once('connect', () => {
      socket.setKeepAlive(true, 30_000);
      settle(undefined);
    });
    socket.on('error', (err) => {
      conn.lastError = errorCode(err);
      settle(conn.lastError); // no-op once connected; 'close' follows and reports the loss
    });
    socket.on('data', (chunk: Buffer) => {
      const messages = deframer.push(chunk);
      const waiter = this.waiter;
      if (waiter?.conn !== conn) return; // nobody on this connection is waiting: stale bytes
      waiter.heardBack = true;
      for (const text of messages) {
        const ack = parseAck(text);
        if (ack !== undefined && ack.controlId === waiter.controlId) waiter.resolve({ kind: 'ack', ack });
      }
    });
    socket.on('close', () => {
      settle(conn.lastError ?? 'closed');
      if (this.conn === conn) this.conn = undefined;
      const waiter = this.waiter;
      if (waiter?.conn === conn) waiter.resolve({ kind: 'gone', status: conn.lastError ?? 'closed', heardBack: waiter.heardBack });
    });
    this.conn = conn;
    return conn;
  }
}

/** Open a TCP connection to host:port and close it again: "is anything listening there?". */
export function probe(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<{ ok: boolean; message: string }> {
  const where = `${host}:${port}`;
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const limit = deadline(timeoutMs, signal);
    let done = false;
    const finish = (result: { ok: boolean; message: string }): void => {
      if (done) return;
      done = true;
      limit.dispose();
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => finish({ ok: true, message: `Connected to ${where}.` }));
    socket.on('error', (err) => {
      const code = errorCode(err);
      if (code === 'ECONNREFUSED') finish({ ok: false, message: `Nothing is listening on ${where}.` });
      else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') finish({ ok: false, message: `The host ${host} could not be found.` });
      else finish({ ok: false, message: `Could not connect to ${where} (${code}).` });
    });
    void limit.promise.then((why) =>
      finish({ ok: false, message: why === 'aborted' ? `The connection test to ${where} was cancelled.` : `No answer from ${where} within ${timeoutMs} ms.` }),
    );
  });
}
