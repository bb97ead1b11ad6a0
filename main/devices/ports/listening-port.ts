import { HubError } from '../../../shared/errors.ts';
import type { Driver, Link, SessionEvent, SessionResult } from '../../../drivers/kit/index.ts';
import type { TcpListener } from '../../transports/index.ts';
import type { PortHealth } from './port-health.ts';
import { countingLink, parseHostPort } from './port-links.ts';

/** What a listening port needs from the port manager (kept narrow so this file stays testable). */
export interface ListeningPortDeps {
  listen: (port: number, host: string) => Promise<TcpListener>;
  /** Wrap an accepted connection for the live trace of this port. */
  tap: (link: Link) => Link;
  /** Run one connection's device to its end, as any port's session runs. */
  run: (link: Link, description: string, onEvent: (event: SessionEvent, deviceKey: string) => void) => Promise<SessionResult>;
  health: PortHealth;
  now: () => number;
  /** The port's state or connection count changed (`urgent`: say it at once, not batched). */
  changed: (urgent: boolean) => void;
  log: (line: string) => void;
}

/** Where a listening port stands: listening, and how many devices are connected right now. */
export interface ListeningState {
  listening: boolean;
  connections: number;
  deviceKey?: string;
}

/**
 * A port the hub listens on (docs/architecture.md §6): devices that are TCP clients (an IHE
 * PCD-01 monitor sends its results to a configured server) connect to `host:port`, and each
 * connection is read as its own session — one device per connection, several at once — with the
 * port's health and live trace shared. Runs until `signal` aborts; then the listener closes and
 * every connection's session ends. Rejects with the listener's HubError when the port cannot be
 * bound (in use, no permission), so the port shows the error like a serial port that will not open.
 */
export async function runListeningPort(path: string, driver: Driver, deps: ListeningPortDeps, state: ListeningState, signal: AbortSignal): Promise<void> {
  const address = parseHostPort(path);
  if (!address) throw new HubError('CONFIG_INVALID', `"${path}" is not host:port.`);
  const listener = await deps.listen(address.port, address.host);
  if (signal.aborted) return listener.close();
  signal.addEventListener('abort', () => void listener.close(), { once: true });
  state.listening = true;
  deps.log(`${path}: listening for ${driver.manifest.name}`);
  deps.changed(true);
  const sessions = new Set<Promise<void>>();
  let n = 0;
  try {
    for (;;) {
      let link: Link;
      try {
        link = await listener.accept();
      } catch {
        break; // closed: the port was disconnected, forgotten or the hub stops
      }
      const session = readConnection(path, ++n, link, deps, state).finally(() => sessions.delete(session));
      sessions.add(session);
    }
  } finally {
    await listener.close();
    // The connections run on the same signal: they end with it; wait so nothing outlives the port.
    await Promise.allSettled([...sessions]);
    state.listening = false;
  }
}

async function readConnection(path: string, n: number, link: Link, deps: ListeningPortDeps, state: ListeningState): Promise<void> {
  const tapped = deps.tap(link);
  const counted = countingLink(tapped, (count) => {
    deps.health.bytes(count, deps.now());
    deps.changed(false);
  });
  state.connections++;
  deps.health.beginSession(deps.now());
  deps.changed(true);
  try {
    const result = await deps.run(counted, `tcp listen ${path} connection ${n}`, (event, deviceKey) => {
      deps.health.event(event);
      const urgent = state.deviceKey !== deviceKey;
      state.deviceKey = deviceKey;
      deps.changed(urgent);
    });
    // A device hanging up is how a connection normally ends, not a port failure.
    const hungUp = result.error?.code === 'TRANSPORT_CLOSED';
    deps.health.endSession(hungUp ? { end: result.end } : result, false);
    deps.log(`${path}: connection ${n} ended${result.error && !hungUp ? `: ${result.error.message}` : ''}`);
  } catch (e) {
    deps.log(`${path}: connection ${n}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    state.connections--;
    await tapped.close().catch(() => undefined);
    await link.close().catch(() => undefined);
    deps.changed(true);
  }
}
