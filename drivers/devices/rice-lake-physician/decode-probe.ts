import { decodeLine } from './decode.ts';
import { normalizeWeighing } from './normalize.ts';
import { createLineFramer } from './protocol.ts';

/** `Driver.decodeProbe`: the line framer, then every line decoded, weight lines normalized. */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = createLineFramer();
  const lines = chunks.flatMap((chunk) => framer.push(chunk).frames);
  lines.push(...framer.flush().frames);
  let records = 0;
  for (const bytes of lines) {
    const decoded = decodeLine(bytes);
    if (!decoded.ok) continue;
    records++;
    const l = decoded.line;
    if (l.type === 'print' || l.type === 'weight') normalizeWeighing({ weight: l.weight, unit: l.unit, net: l.net });
  }
  return records;
}
