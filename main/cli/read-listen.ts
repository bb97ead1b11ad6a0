import { systemClock, runSession, type Driver, type DriverOptionValues, type Link } from '../../drivers/kit/index.ts';
import type { HubDatabase } from '../store/index.ts';
import { listenTcpLink, type TcpListener } from '../transports/index.ts';
import type { Io } from './io.ts';
import { commandFailureOf, errorLine, formatReading, problemSummary } from './output.ts';

export interface ListenReadOptions {
  driver: Driver;
  options: DriverOptionValues;
  store: HubDatabase;
  host: string;
  port: number;
  /** Seconds to wait and read; undefined: until Ctrl-C. */
  timeout?: number;
  json: boolean;
  all: boolean;
}

/**
 * `pochub read --listen host:port`: wait for devices that connect to the hub (an IHE PCD-01
 * monitor is the TCP client, docs/architecture.md §6) and read each connection as its own
 * session — one device per connection, several at once — until the timeout or Ctrl-C. Every
 * reading is stored as it arrives; one the store already holds (a monitor that resent after a
 * reconnect) is not printed again. Exit 0 when a new reading was printed, 3 when none arrived.
 */
export async function readListening(o: ListenReadOptions, io: Io, stop: AbortSignal): Promise<number> {
  let listener: TcpListener;
  try {
    listener = await listenTcpLink(o.port, o.host);
  } catch (e) {
    throw commandFailureOf(e, { code: 'TRANSPORT_OPEN_FAILED' });
  }
  io.err(`listening for ${o.driver.manifest.name} on ${o.host}:${listener.port}${o.timeout ? ` for ${o.timeout} s` : ''} (Ctrl-C to stop)`);
  const controller = new AbortController();
  const onStop = (): void => controller.abort();
  stop.addEventListener('abort', onStop, { once: true });
  const timer = o.timeout ? setTimeout(onStop, o.timeout * 1000) : undefined;
  controller.signal.addEventListener('abort', () => void listener.close(), { once: true });
  const counts = { printed: 0, known: 0, connections: 0 };
  const sessions: Promise<void>[] = [];
  try {
    for (;;) {
      let link: Link;
      try {
        link = await listener.accept();
      } catch {
        break; // the listener was closed: timeout or Ctrl-C
      }
      const n = ++counts.connections;
      sessions.push(readConnection(o, link, n, counts, io, controller.signal));
    }
    await Promise.all(sessions);
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
    await listener.close();
  }
  io.err(`${counts.connections} connection(s); ${counts.printed} new reading(s)${counts.known > 0 ? `, ${counts.known} already in the store` : ''}`);
  if (counts.printed === 0) {
    if (counts.known === 0) {
      io.err('no readings arrived.');
      for (const hint of o.driver.manifest.hints) io.err(`hint: ${hint}`);
    }
    return 3;
  }
  return 0;
}

async function readConnection(o: ListenReadOptions, link: Link, n: number, counts: { printed: number; known: number }, io: Io, signal: AbortSignal): Promise<void> {
  const description = `tcp listen ${o.host}:${o.port} connection ${n}`;
  io.err(`connection ${n}: a device connected`);
  const sessionId = o.store.sessions.beginSession({ driverId: o.driver.manifest.id, transport: description });
  try {
    const result = await runSession({
      driver: o.driver,
      link,
      clock: systemClock,
      signal,
      options: o.options,
      onEvent: (event) => {
        if (event.type === 'reading') {
          const at = event.reading.receivedAt;
          const { isNew } = o.store.readings.ingest(event.reading, event.raw.map((bytes) => ({ direction: 'in' as const, bytes, at })), sessionId);
          if (isNew) counts.printed++;
          else counts.known++;
          if (isNew || o.all) io.out(formatReading(event.reading, o.json));
        } else if (event.type === 'problem') {
          io.err(`connection ${n}: ${event.code === 'DEVICE_ERROR' ? 'device error' : 'warning'}: ${event.message}`);
        }
      },
    });
    const reason = result.error ? (result.error.code === 'TRANSPORT_CLOSED' ? 'disconnected' : 'failed') : result.end === 'aborted' ? 'cancelled' : 'completed';
    o.store.sessions.endSession(sessionId, { reason, ...(result.error ? { errorCode: result.error.code, errorMessage: result.error.message } : {}) });
    const summary = problemSummary(result.problems);
    io.err(`connection ${n}: ended (${reason}${result.error ? `: ${errorLine(result.error)}` : ''})${summary ? `; ${summary}` : ''}`);
  } catch (e) {
    io.err(`connection ${n}: ${errorLine(e)}`);
  } finally {
    await link.close().catch(() => undefined);
  }
}
