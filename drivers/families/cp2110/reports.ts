/**
 * The Silicon Labs CP2110 HID-to-UART bridge's reports (Silicon Labs AN434; README.md here): UART
 * data travel in interrupt reports whose report id is the byte count, and the UART is configured
 * and enabled by feature reports. Pure encode/decode; byte-link.ts puts them on a Link.
 */

/** Most UART bytes one data report carries (report ids 0x01..0x3F). */
export const CP2110_MAX_DATA = 63;
/** What a CP2110 Link's reports hold without their id byte: the largest data report. */
export const CP2110_REPORT_SIZE = CP2110_MAX_DATA;

/** Feature report ids used here (AN434). */
export const CP2110_FEATURE = {
  /** Enable/disable the UART: `41 01` enables. */
  uartEnable: 0x41,
  /** UART configuration: `50 <baud u32 BE> <parity> <flow> <data bits> <stop bits>`. */
  uartConfig: 0x50,
} as const;

export type Cp2110Parity = 'none' | 'odd' | 'even' | 'mark' | 'space';

/** A UART line setting as the CP2110 takes it. */
export interface Cp2110UartConfig {
  baudRate: number;
  parity: Cp2110Parity;
  /** `hardware`: RTS/CTS. */
  flowControl: 'none' | 'hardware';
  dataBits: 5 | 6 | 7 | 8;
  /** 1, or the long stop bit (1.5 for 5 data bits, 2 otherwise). */
  stopBits: 1 | 2;
}

const PARITY_CODE: Record<Cp2110Parity, number> = { none: 0, odd: 1, even: 2, mark: 3, space: 4 };

/** The bridge's documented baud range (AN434: 300 baud to 1 Mbaud). */
const MIN_BAUD = 300;
const MAX_BAUD = 1_000_000;

/** Feature report `0x50`, id first: e.g. 19200 8N1 → `50 00 00 4B 00 00 00 03 00`. Throws RangeError on a baud out of range. */
export function encodeUartConfig(config: Cp2110UartConfig): Uint8Array {
  const { baudRate } = config;
  if (!Number.isInteger(baudRate) || baudRate < MIN_BAUD || baudRate > MAX_BAUD) {
    throw new RangeError(`CP2110 baud rate must be an integer from ${MIN_BAUD} to ${MAX_BAUD}, got ${baudRate}`);
  }
  return Uint8Array.of(
    CP2110_FEATURE.uartConfig,
    (baudRate >>> 24) & 0xff,
    (baudRate >>> 16) & 0xff,
    (baudRate >>> 8) & 0xff,
    baudRate & 0xff,
    PARITY_CODE[config.parity],
    config.flowControl === 'hardware' ? 1 : 0,
    config.dataBits - 5,
    config.stopBits === 1 ? 0 : 1,
  );
}

/** Feature report `41 01`: the UART starts moving data. */
export const UART_ENABLE_REPORT = Uint8Array.of(CP2110_FEATURE.uartEnable, 0x01);

/** UART bytes → data reports `[n, d1..dn]`, id first, n ≤ 63 each (none for no bytes). */
export function encodeDataReports(bytes: Uint8Array): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += CP2110_MAX_DATA) {
    const part = bytes.subarray(at, at + CP2110_MAX_DATA);
    const report = new Uint8Array(part.length + 1);
    report[0] = part.length;
    report.set(part, 1);
    reports.push(report);
  }
  return reports;
}

/** What one input report holds: its UART bytes, or why it is not a data report. */
export type Cp2110Decoded = { ok: true; data: Uint8Array } | { ok: false; reason: string };

/**
 * One input report as hidapi reads it (id first, maybe padded) → its UART bytes. An id of 0 or
 * above 63 is not a data report (an interrupt report of another kind); an id larger than the
 * bytes present is a truncated report. Neither is guessed at.
 */
export function decodeDataReport(report: Uint8Array): Cp2110Decoded {
  if (report.length === 0) return { ok: false, reason: 'an empty report' };
  const n = report[0] ?? 0;
  if (n === 0 || n > CP2110_MAX_DATA) return { ok: false, reason: `report id 0x${n.toString(16).padStart(2, '0')} is not a data report (0x01..0x3f)` };
  if (report.length < n + 1) return { ok: false, reason: `data report 0x${n.toString(16).padStart(2, '0')} holds ${report.length - 1} of its ${n} bytes` };
  return { ok: true, data: report.slice(1, n + 1) };
}
