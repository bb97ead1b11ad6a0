import { localDateTime } from '../../../shared/time.ts';

/**
 * The Verio meters' clock (Verio IQ over serial, the Verio family over USB): a u32 of seconds
 * since 2000-01-01 00:00:00 on the meter's own wall clock, with no time zone
 * (lifescan-onetouch-verio-iq/PROTOCOL.md §5). The UltraEasy counts from 1970 instead.
 */
const EPOCH_2000_S = Date.UTC(2000, 0, 1) / 1000;

/** Meter seconds to `YYYY-MM-DDTHH:MM:SS`, a naive wall-clock time read with UTC getters. */
export function verioLocalTime(meterSeconds: number): string {
  const t = new Date((EPOCH_2000_S + meterSeconds) * 1000);
  return localDateTime(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()) ?? '2000-01-01T00:00:00';
}

/** An instant as the meter's clock would show it in the workstation's zone: seconds since 2000 (never negative). */
export function verioSecondsFromEpochMs(epochMs: number): number {
  const t = new Date(epochMs);
  const local = Date.UTC(t.getFullYear(), t.getMonth(), t.getDate(), t.getHours(), t.getMinutes(), t.getSeconds()) / 1000;
  return Math.max(0, Math.floor(local - EPOCH_2000_S));
}
