import { decodeDumpProbe } from '../../families/freestyle-serial/decode-probe.ts';
import { FreestyleLineFramer } from '../../families/freestyle-serial/lines.ts';
import { decodeColq } from './decode.ts';

/** `Driver.decodeProbe`: the family's dump path, plus `$colq` decoding over every line. */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = new FreestyleLineFramer();
  const lines = chunks.flatMap((chunk) => framer.push(chunk).frames);
  decodeColq(lines);
  return decodeDumpProbe(chunks);
}
