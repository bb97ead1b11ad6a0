import { isHubError } from '../../shared/errors.ts';
import type { Clock } from './clock.ts';
import type { Link } from './link.ts';

/** Faults a simulator can put into every frame it sends, for the conformance suite. */
export type SimulatorFault = 'bad-checksum' | 'truncate';

export interface SimulatorContext {
  /** The device's side of the link. */
  readonly link: Link;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly scenario: string;
  readonly fault?: SimulatorFault;
}

/**
 * The device's side of a driver's protocol (a device emulator, never a record normalizer:
 * docs/adding-a-driver.md §11). Demo mode, `pochub simulate` and the tests all run these.
 */
export interface Simulator {
  /** Named scenarios; the first is the default. */
  readonly scenarios: readonly { name: string; description: string }[];
  /**
   * Play the scenario. Finite scenarios resolve when done (and leave the link open for the host
   * to close); `loop: true` scenarios run until aborted. Must stop all timers when aborted.
   */
  run(context: SimulatorContext): Promise<void>;
  /**
   * The device gives its memory once per plug-in or power-on: it speaks first when switched on
   * (an association, a greeting, an offer), or the host switches it off at the end. A second
   * download on the same link then finds it silent, as a real one would; a meter that answers the
   * host's requests again leaves this out (drivers/kit/repeat-download.ts).
   */
  readonly oneDownloadPerPowerOn?: true;
}

/**
 * The scenario demo mode plays (docs/architecture.md §6): a meter's `memory` (one download), any
 * other device's endless `stream`; a simulator without that scenario plays its first one.
 */
export function demoScenario(simulator: Simulator, kind: 'discrete' | 'download' | 'continuous'): string {
  const wanted = kind === 'download' ? 'memory' : 'stream';
  const names = simulator.scenarios.map((s) => s.name);
  return names.includes(wanted) ? wanted : (names[0] ?? wanted);
}

/**
 * Play a device that only answers: every chunk (or HID report) the host writes is queued and
 * given to the device's `handle`, one at a time and in order, until the run is aborted or the
 * host hangs up — both the normal end of a simulated device's life, so neither is an error.
 * `device` is built with the signal that stops it.
 */
export async function serveRequests(ctx: SimulatorContext, device: (stop: AbortSignal) => { handle(chunk: Uint8Array): Promise<void> }): Promise<void> {
  const stop = new AbortController();
  const queue: Uint8Array[] = [];
  let wake: (() => void) | undefined;
  const onStop = (): void => {
    stop.abort();
    wake?.();
  };
  ctx.signal.addEventListener('abort', onStop, { once: true });
  const offClose = ctx.link.onClose(onStop);
  const offData = ctx.link.onData((chunk) => {
    queue.push(chunk);
    wake?.();
  });
  if (ctx.signal.aborted || ctx.link.closed) stop.abort();
  const simulated = device(stop.signal);
  try {
    while (!stop.signal.aborted) {
      const next = queue.shift();
      if (next) await simulated.handle(next);
      else await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } catch (e) {
    const closed = isHubError(e) && e.code === 'TRANSPORT_CLOSED';
    if (!stop.signal.aborted && !closed) throw e;
  } finally {
    ctx.signal.removeEventListener('abort', onStop);
    offClose();
    offData();
  }
}

/**
 * Play a device that talks first (pushes reports or streams samples on its clock) until its
 * scenario ends, the run is aborted or the host hangs up. The two last are the normal end of a
 * simulated device's life, so neither is an error; anything else is thrown. `play` gets the
 * signal that stops it (pass it to every sleep) and stops all its timers when that fires.
 */
export async function playUntilStopped(ctx: SimulatorContext, play: (stop: AbortSignal) => Promise<void>): Promise<void> {
  const stop = new AbortController();
  const onStop = (): void => stop.abort();
  ctx.signal.addEventListener('abort', onStop, { once: true });
  const offClose = ctx.link.onClose(onStop);
  if (ctx.signal.aborted || ctx.link.closed) stop.abort();
  try {
    await play(stop.signal);
  } catch (e) {
    const closed = isHubError(e) && e.code === 'TRANSPORT_CLOSED';
    if (!stop.signal.aborted && !closed) throw e;
  } finally {
    ctx.signal.removeEventListener('abort', onStop);
    offClose();
  }
}
