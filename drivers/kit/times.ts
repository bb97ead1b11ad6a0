import { localToEpochMs, toOffsetDateTime } from '../../shared/time.ts';
import type { Reading } from '../../shared/reading.ts';
import type { ReadingDraft } from './driver.ts';

/** docs/architecture.md §8 rule 9: a device clock more than this far from ours is shown and recorded. */
export const DEFAULT_CLOCK_SKEW_THRESHOLD_MS = 5 * 60 * 1000;

export interface TimePolicy {
  /** Compare device and workstation clocks? False in a replay of a trace without a `recorded` time. */
  skewCheck: boolean;
  thresholdMs: number;
}

/**
 * Stamp a draft with the driver id, received time and an effective time that says which clock
 * it rests on:
 * - no device time: the workstation's receipt time;
 * - live result, device clock within the threshold: the device time, in the workstation zone;
 * - live result, device clock off: the receipt time (the device just measured), flag `clock-skew`;
 * - stored result (memory download): the device time, corrected by the skew measured at session
 *   start when it exceeds the threshold, flag `clock-skew`.
 */
export function finishReading(draft: ReadingDraft, driverId: string, receivedAtMs: number, policy: TimePolicy): Reading {
  const flags = [...draft.flags];
  const base: Omit<Reading, 'effectiveTime' | 'clock'> = {
    driver: driverId,
    device: draft.device,
    kind: draft.kind,
    receivedAt: toOffsetDateTime(receivedAtMs, true),
    observations: draft.observations,
    flags,
  };
  if (draft.deviceTime) base.deviceTime = draft.deviceTime;
  if (draft.context) base.context = draft.context;

  const deviceMs = draft.deviceTime ? localToEpochMs(draft.deviceTime) : Number.NaN;
  if (!Number.isFinite(deviceMs)) {
    return { ...base, effectiveTime: toOffsetDateTime(receivedAtMs), clock: { source: 'workstation' } };
  }
  if (draft.timeBasis === 'stored') {
    const skew = draft.deviceClockSkewMs;
    if (skew !== undefined && Math.abs(skew) > policy.thresholdMs) {
      flags.push('clock-skew');
      return { ...base, effectiveTime: toOffsetDateTime(deviceMs + skew), clock: { source: 'device-corrected', skewSeconds: Math.round(skew / 1000) } };
    }
    const clock = skew === undefined ? { source: 'device' as const } : { source: 'device' as const, skewSeconds: Math.round(skew / 1000) };
    return { ...base, effectiveTime: toOffsetDateTime(deviceMs), clock };
  }
  if (!policy.skewCheck) return { ...base, effectiveTime: toOffsetDateTime(deviceMs), clock: { source: 'device' } };
  const skewMs = receivedAtMs - deviceMs;
  if (Math.abs(skewMs) > policy.thresholdMs) {
    flags.push('clock-skew');
    return { ...base, effectiveTime: toOffsetDateTime(receivedAtMs), clock: { source: 'workstation', skewSeconds: Math.round(skewMs / 1000) } };
  }
  return { ...base, effectiveTime: toOffsetDateTime(deviceMs), clock: { source: 'device', skewSeconds: Math.round(skewMs / 1000) } };
}
