import type { Driver } from './driver.ts';
import { transportFor } from './manifest.ts';
import { ReplayLink, type ReplayOptions } from './replay.ts';
import { runSession, type SessionEvent, type SessionResult } from './session.ts';
import type { Trace } from './trace.ts';

export interface ReplaySessionOptions extends Omit<ReplayOptions, 'reportSize'> {
  onEvent?: (event: SessionEvent) => void;
  /** The driver's options (`--option` on `pochub replay`); defaults for those left out. */
  options?: Record<string, unknown>;
}

export interface ReplaySessionResult {
  result: SessionResult;
  /** Exchanges of the trace the driver never asked for (a warning, not a failure). */
  unusedExchanges: number;
}

/**
 * Run a driver against a recorded trace: the one replay session behind `pochub replay` and the
 * biomed console's replay. The link restores HID padding from the manifest; the session runs on
 * the trace's clock, and judges the device clock only when the trace says when it was recorded.
 */
export async function replaySession(driver: Driver, trace: Trace, options: ReplaySessionOptions = {}): Promise<ReplaySessionResult> {
  const { onEvent, options: driverOptions, ...replay } = options;
  // The driver's HID link, primary or not (a trace of its serial link is replayed as bytes).
  const hid = /^hid\b/.test(trace.header['transport'] ?? '') ? transportFor(driver.manifest, 'hid') : undefined;
  // A report the driver numbers itself carries its id as byte 0, so its full size is one more
  // (a CP2110 data report of 63 bytes ending in 00 would otherwise be restored one byte short).
  const reportSize = hid ? hid.reportSize + (hid.numberedByDriver ? 1 : 0) : undefined;
  const link = new ReplayLink(trace, { ...replay, reportSize });
  const result = await runSession({
    driver,
    link,
    clock: link.clock,
    // Without the recording's wall-clock time, a device clock cannot be judged right or wrong.
    timePolicy: { skewCheck: ReplayLink.hasRecordedTime(trace) },
    ...(onEvent ? { onEvent } : {}),
    ...(driverOptions ? { options: driverOptions } : {}),
  });
  await link.close();
  return { result, unusedExchanges: link.unusedExchanges };
}
