import { HubError } from '../../../shared/errors.ts';
import { LinkBase, type Link } from '../../kit/index.ts';
import { UART_ENABLE_REPORT, decodeDataReport, encodeDataReports, encodeUartConfig, type Cp2110UartConfig } from './reports.ts';

/**
 * A byte stream over a CP2110's data reports: what is written goes out as reports `[n, d1..dn]`,
 * what comes in is unwrapped to its UART bytes. Works on either side of the bridge: a driver
 * wraps the session's HID Link, a simulator wraps its device Link, and both then speak plain
 * bytes. Closing it only detaches it: the Link underneath belongs to whoever opened it.
 */
export class Cp2110ByteLink extends LinkBase {
  readonly mode = 'bytes' as const;
  private readonly offData: () => void;
  private readonly offClose: () => void;

  /** `onBadReport`: an input report that is not a data report (dropped, never guessed at). */
  constructor(
    private readonly reports: Link,
    private readonly onBadReport?: (reason: string, report: Uint8Array) => void,
  ) {
    super();
    if (reports.mode !== 'reports') throw new HubError('CONFIG_INVALID', 'a CP2110 bridge is a HID device: its Link must carry reports');
    this.offData = reports.onData((report) => {
      const decoded = decodeDataReport(report);
      if (decoded.ok) this.deliver(decoded.data);
      else this.onBadReport?.(decoded.reason, report);
    });
    this.offClose = reports.onClose((error) => this.ended(error));
  }

  protected async send(data: Uint8Array): Promise<void> {
    for (const report of encodeDataReports(data)) await this.reports.write(report);
  }

  protected async shutdown(): Promise<void> {
    this.offData();
    this.offClose();
  }
}

/**
 * Make the bridge's UART ready (AN434): set the line, then enable it, the order every CP2110
 * meter implementation uses. A Link without feature reports (a replayed trace, an in-memory pair) is
 * taken as ready: traces do not record feature reports (docs/trace-format.md).
 */
export async function configureCp2110Uart(link: Link, config: Cp2110UartConfig): Promise<void> {
  if (!link.sendFeatureReport) return;
  await link.sendFeatureReport(encodeUartConfig(config));
  await link.sendFeatureReport(UART_ENABLE_REPORT);
}
