import { ispcDecodeProbe } from '../../families/isens/index.ts';

/** `Driver.decodeProbe`: the serial chunks straight into the iSPc decoders (drivers/families/isens). */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  return ispcDecodeProbe(chunks);
}
