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
}
