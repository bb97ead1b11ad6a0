import { decodeLine } from './decode.ts';
import { normalize } from './normalize.ts';
import { createLineFramer } from './protocol.ts';

/** `Driver.decodeProbe`: the line framer, then decode and normalize of every line, as the session does. */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = createLineFramer();
  const lines = chunks.flatMap((chunk) => framer.push(chunk).frames);
  lines.push(...framer.flush().frames);
  let records = 0;
  for (const line of lines) {
    const decoded = decodeLine(line);
    if (!decoded.ok) continue;
    records++;
    normalize(decoded.record);
  }
  return records;
}
