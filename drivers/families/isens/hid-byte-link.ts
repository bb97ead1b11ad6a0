import { HubError } from '../../../shared/errors.ts';
import { LinkBase, type Link } from '../../kit/index.ts';

/** The output report id the GLUCOCARD Shine Connex / Express take (drivers/devices/isens-caresens/PROTOCOL.md §2.3). */
export const SHINE_OUTPUT_REPORT_ID = 0x01;

/**
 * The iSPc bytes in one plain-HID input report `[n, d1..dn, padding]` (PROTOCOL.md §2.3, [INFERRED]):
 * a report that is all zero after its first byte carries that one byte bare (how the one
 * implementation reads a short answer); a count beyond the report is cut to what is there.
 */
export function shineReportBytes(report: Uint8Array): Uint8Array {
  if (report.length === 0) return report;
  if (report.subarray(1).every((b) => b === 0)) return report.subarray(0, 1);
  const n = report[0] ?? 0;
  return report.slice(1, 1 + n);
}

/** `data` as output reports `[01, n, d1..dn]`, at most `room` data bytes each (n = the exact count). */
export function shineOutputReports(data: Uint8Array, room: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += room) {
    const part = data.subarray(at, at + room);
    out.push(Uint8Array.of(SHINE_OUTPUT_REPORT_ID, part.length, ...part));
  }
  return out;
}

/**
 * A byte stream over the plain HID of the GLUCOCARD Shine Connex / Express (no UART bridge, no
 * feature reports): the host writes output reports `[01, n, bytes]` (report id 1, then a count)
 * and reads input reports `[n, bytes, padding]`. `side: 'device'` is the meter's end, for the
 * simulator: it reads the host's reports and answers with input reports. Closing detaches only.
 */
export class ShineHidByteLink extends LinkBase {
  readonly mode = 'bytes' as const;
  private readonly offData: () => void;
  private readonly offClose: () => void;
  /** Data bytes per report: the report less its count byte (and the id the host writes itself). */
  private readonly room: number;

  constructor(
    private readonly reports: Link,
    private readonly side: 'host' | 'device' = 'host',
  ) {
    super();
    if (reports.mode !== 'reports') throw new HubError('CONFIG_INVALID', 'the GLUCOCARD Shine Connex is a HID device: its Link must carry reports');
    this.room = Math.max(1, (reports.reportSize ?? 63) - 1);
    this.offData = reports.onData((report) => {
      // The meter's end gets the host's reports with their id in front.
      const bytes = side === 'device' ? (report[0] === SHINE_OUTPUT_REPORT_ID ? report.slice(2, 2 + (report[1] ?? 0)) : new Uint8Array(0)) : shineReportBytes(report);
      if (bytes.length > 0) this.deliver(bytes);
    });
    this.offClose = reports.onClose((error) => this.ended(error));
  }

  protected async send(data: Uint8Array): Promise<void> {
    if (this.side === 'host') {
      for (const report of shineOutputReports(data, this.room)) await this.reports.write(report);
      return;
    }
    // The meter's input reports: unnumbered, count first.
    for (let at = 0; at < data.length; at += this.room) {
      const part = data.subarray(at, at + this.room);
      await this.reports.write(Uint8Array.of(part.length, ...part));
    }
  }

  protected async shutdown(): Promise<void> {
    this.offData();
    this.offClose();
  }
}
