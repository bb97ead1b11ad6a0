import { decodeDataReport } from '../../families/cp2110/index.ts';
import { ispcDecodeProbe, shineReportBytes } from '../../families/isens/index.ts';

/**
 * `Driver.decodeProbe`: the chunks as each link would hand them over — CP2110 data reports, the
 * Shine Connex's plain HID reports, serial bytes as they are — each through the iSPc decoders
 * (drivers/families/isens). The chunks do not say their link, so all three run; the most records wins.
 */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const cp2110 = ispcDecodeProbe(chunks, (report) => {
    const data = decodeDataReport(report);
    return data.ok ? data.data : undefined;
  });
  return Math.max(cp2110, ispcDecodeProbe(chunks, shineReportBytes), ispcDecodeProbe(chunks));
}
