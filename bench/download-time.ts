import { VirtualClock, runSession, type Driver, type SessionResult } from '../drivers/kit/index.ts';
import { createPacedPair } from './paced-link.ts';

/** The scenario every glucometer simulator offers for this benchmark: 500 records in memory. */
const BIG_SCENARIO = 'big';
/** USB full-speed HID interrupt endpoints are polled once per millisecond. */
const HID_REPORT_INTERVAL_MS = 1;

export interface DownloadTimeResult {
  driver: string;
  link: string;
  readings: number;
  /** Time the download takes at the real link speed (virtual clock). */
  simulatedSeconds: number;
  bytesToHost: number;
  bytesToDevice: number;
  /** Real time the run took on this machine (decode, simulator and all). */
  wallMs: number;
  end: SessionResult['end'];
  warning?: string;
}

/**
 * Download a meter's 500-record memory from its simulator on a virtual clock. `paced`: over a
 * link that takes the real time on the wire (the manifest's baud rate, or 1 report/ms for HID),
 * so the virtual time is the download time with a real cable. Unpaced, the wall time measures
 * decoding (with the simulator's share) for the throughput table.
 */
export async function measureDownloadTime(driver: Driver, paced = true): Promise<DownloadTimeResult> {
  const { manifest } = driver;
  const hid = manifest.transport.type === 'hid';
  const baud = manifest.transport.type === 'serial' ? manifest.transport.serial.baudRate : undefined;
  const link = !paced ? 'memory (unpaced)' : hid ? `HID, 1 report/${HID_REPORT_INTERVAL_MS} ms` : `serial ${baud} baud`;
  if (!driver.simulator.scenarios.some((s) => s.name === BIG_SCENARIO)) {
    return { driver: manifest.id, link, readings: 0, simulatedSeconds: 0, bytesToHost: 0, bytesToDevice: 0, wallMs: 0, end: 'failed', warning: `no '${BIG_SCENARIO}' scenario` };
  }
  const clock = new VirtualClock();
  const started = clock.now();
  const pair = createPacedPair({
    clock,
    mode: hid ? 'reports' : 'bytes',
    reportSize: manifest.transport.type === 'hid' ? manifest.transport.reportSize : undefined,
    baud,
    reportIntervalMs: HID_REPORT_INTERVAL_MS,
    unpaced: !paced,
  });
  const simulatorStop = new AbortController();
  const wallStart = performance.now();
  const simulator = driver.simulator.run({ link: pair.device, clock, signal: simulatorStop.signal, scenario: BIG_SCENARIO }).catch(() => undefined);
  let endedAt = 0;
  const session = runSession({ driver, link: pair.host, clock }).then((r) => {
    endedAt = clock.now();
    simulatorStop.abort();
    void pair.host.close();
    return r;
  });
  await clock.runUntilIdle();
  const result = await session;
  await simulator;
  await clock.runUntilIdle();
  const wallMs = performance.now() - wallStart;
  const bytes = pair.bytes();
  const out: DownloadTimeResult = {
    driver: manifest.id,
    link,
    readings: result.readings.length,
    simulatedSeconds: (endedAt - started) / 1000,
    bytesToHost: bytes.toHost,
    bytesToDevice: bytes.toDevice,
    wallMs,
    end: result.end,
  };
  if (result.error) out.warning = `session failed: ${result.error.message}`;
  // 500 records in memory; a meter that also logs insulin or clock changes makes fewer readings.
  else if (result.readings.length === 0) out.warning = 'NO READINGS from a 500-record memory — a bug';
  return out;
}
