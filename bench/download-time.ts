import { VirtualClock, runSession, type Driver, type SessionResult } from '../drivers/kit/index.ts';
import { createPacedPair } from './paced-link.ts';
import { fmt, table } from './stats.ts';

/** The scenario every glucometer simulator offers for this benchmark: 500 records in memory. */
const BIG_SCENARIO = 'big';
/** USB full-speed HID interrupt endpoints are polled once per millisecond. */
const HID_REPORT_INTERVAL_MS = 1;
/** A USB full-speed bulk transfer of one APDU fits in one 1 ms frame. */
const USB_TRANSFER_MS = 1;

/**
 * The meters whose download crosses a wire (serial, HID, USB bulk), so it has a wire time to be
 * measured against. A meter read from files on its mounted disk (a folder link) or through a local
 * web service has none: its report is one file read.
 */
export function wireMeters(drivers: readonly Driver[]): Driver[] {
  return drivers.filter((d) => d.manifest.kind === 'download' && ['serial', 'hid', 'usb'].includes(d.manifest.transport.type));
}

/** How the wire time beside each download figure is computed, for the printed tables. */
export const WIRE_TIME_RULE = `wire time = serial: bytes both ways × 10 bits (8N1) / baud; HID: reports both ways × ${HID_REPORT_INTERVAL_MS} ms (one report per USB frame); USB bulk: transfers both ways × ${USB_TRANSFER_MS} ms`;

export interface DownloadTimeResult {
  driver: string;
  link: string;
  readings: number;
  /** Time the download takes at the real link speed (virtual clock). */
  simulatedSeconds: number;
  bytesToHost: number;
  bytesToDevice: number;
  /** Writes each way: HID reports, or serial writes (chunks, not bytes). */
  writesToHost: number;
  writesToDevice: number;
  /**
   * The least time the link needs for everything both sides sent, one direction after the other
   * (a meter conversation is ask–answer, so the two directions do not overlap): serial, bytes
   * both ways × 10 bits / baud; HID, reports both ways × the report interval. See WIRE_TIME_RULE.
   */
  wireSeconds: number;
  /** simulatedSeconds / wireSeconds: 1.0 means the download runs at wire speed. */
  ratio: number;
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
  const usb = manifest.transport.type === 'usb';
  const link = !paced ? 'memory (unpaced)' : hid ? `HID, 1 report/${HID_REPORT_INTERVAL_MS} ms` : usb ? `USB bulk, 1 transfer/${USB_TRANSFER_MS} ms` : `serial ${baud} baud`;
  if (!driver.simulator.scenarios.some((s) => s.name === BIG_SCENARIO)) {
    const none = { bytesToHost: 0, bytesToDevice: 0, writesToHost: 0, writesToDevice: 0, wireSeconds: 0, ratio: Number.NaN };
    return { driver: manifest.id, link, readings: 0, simulatedSeconds: 0, ...none, wallMs: 0, end: 'failed', warning: `no '${BIG_SCENARIO}' scenario` };
  }
  const clock = new VirtualClock();
  const started = clock.now();
  const pair = createPacedPair({
    clock,
    mode: hid ? 'reports' : 'bytes',
    reportSize: manifest.transport.type === 'hid' ? manifest.transport.reportSize : undefined,
    baud,
    reportIntervalMs: HID_REPORT_INTERVAL_MS,
    ...(usb ? { transferMs: USB_TRANSFER_MS } : {}),
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
  const { toHost, toDevice } = pair.tally();
  const simulatedSeconds = (endedAt - started) / 1000;
  const wireSeconds = (toHost.wireMs + toDevice.wireMs) / 1000;
  const out: DownloadTimeResult = {
    driver: manifest.id,
    link,
    readings: result.readings.length,
    simulatedSeconds,
    bytesToHost: toHost.bytes,
    bytesToDevice: toDevice.bytes,
    writesToHost: toHost.writes,
    writesToDevice: toDevice.writes,
    wireSeconds,
    ratio: simulatedSeconds / wireSeconds,
    wallMs,
    end: result.end,
  };
  if (result.error) out.warning = `session failed: ${result.error.message}`;
  // 500 records in memory; a meter that also logs insulin or clock changes makes fewer readings.
  else if (result.readings.length === 0) out.warning = 'NO READINGS from a 500-record memory — a bug';
  return out;
}

/** The download table: time, wire time and their ratio per meter (printed by `npm run bench` and `bench:downloads`). */
export function describeDownloads(downloads: readonly DownloadTimeResult[]): string {
  return table([
    ['driver', 'link', 'readings', 'bytes to host', 'bytes to meter', 'reports/writes in/out', 'download s', 'wire s', '× wire', 'records/s'],
    ...downloads.map((d) => [
      d.driver,
      d.link,
      String(d.readings),
      String(d.bytesToHost),
      String(d.bytesToDevice),
      `${d.writesToHost}/${d.writesToDevice}`,
      fmt(d.simulatedSeconds, 2),
      fmt(d.wireSeconds, 2),
      fmt(d.ratio, 3),
      fmt(d.readings / d.simulatedSeconds, 1),
    ]),
  ]);
}
