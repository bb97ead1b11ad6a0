import { decodeDataReport } from '../../families/cp2110/index.ts';
import { ispcDecodeProbe } from '../../families/isens/index.ts';

/** `Driver.decodeProbe`: each HID report through the CP2110 unwrapping, then the iSPc decoders (drivers/families/isens). */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  return ispcDecodeProbe(chunks, (report) => {
    const data = decodeDataReport(report);
    return data.ok ? data.data : undefined;
  });
}
