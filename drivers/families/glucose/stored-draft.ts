import type { Observation } from '../../../shared/observation.ts';
import type { DeviceIdentity, Reading, ReadingKind } from '../../../shared/reading.ts';
import type { ReadingDraft } from '../../kit/index.ts';

/** How a meter's clock stood when its memory was read: the skew measured then, and whether it was never set. */
export interface MeterClockState {
  skewMs?: number;
  lost: boolean;
}

/** One normalized result read from a meter's memory, with what the driver knows about its time. */
export interface StoredResult {
  device: DeviceIdentity;
  kind: ReadingKind;
  observations: Observation[];
  /** The normalizer's flags. */
  flags: readonly string[];
  /** The record's local time, undefined when the record's time is no valid date. */
  localTime: string | undefined;
  clock: MeterClockState;
  raw: Uint8Array[];
  context?: Reading['context'];
}

/**
 * The reading draft of a result from a meter's memory (`timeBasis: 'stored'`, docs/architecture.md
 * §8 rule 9): the record's device time when it has one, the skew measured at the start of the
 * download, and the normalizer's flags plus `flagNames.clockUnset` when the meter's clock was never
 * set and `flagNames.timeInvalid` when the record's time is no date (each driver names these two
 * in its manifest's flag list).
 */
export function storedResultDraft(r: StoredResult, flagNames: { clockUnset: string; timeInvalid: string }): ReadingDraft {
  const flags = [...r.flags];
  if (r.clock.lost) flags.push(flagNames.clockUnset);
  if (r.localTime === undefined) flags.push(flagNames.timeInvalid);
  return {
    device: { ...r.device },
    kind: r.kind,
    ...(r.localTime !== undefined ? { deviceTime: r.localTime } : {}),
    timeBasis: 'stored',
    ...(r.clock.skewMs !== undefined ? { deviceClockSkewMs: r.clock.skewMs } : {}),
    observations: r.observations,
    flags,
    ...(r.context !== undefined ? { context: r.context } : {}),
    raw: r.raw,
  };
}
