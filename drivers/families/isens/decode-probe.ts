import { CMD, GLUE_RECORD_LENGTH, IspcFramer } from './protocol.ts';
import { decodeClock, decodeCount, decodeEcho, decodeGlue, decodeSerial } from './decode.ts';
import { normalizeRecord } from './normalize.ts';

/**
 * `Driver.decodeProbe` for any iSPc link: each chunk through `unwrap` (the CP2110's data reports,
 * or nothing on serial), the frame reassembly, every decoder over every frame (a reply may
 * answer any request), normalize of each GLUE record. Returns the records decoded.
 */
export function ispcDecodeProbe(chunks: readonly Uint8Array[], unwrap: (chunk: Uint8Array) => Uint8Array | undefined = (c) => c): number {
  const framer = new IspcFramer();
  const items = chunks.flatMap((chunk) => {
    const data = unwrap(chunk);
    return data ? framer.push(data).frames : [];
  });
  items.push(...framer.flush().frames);
  let records = 0;
  for (const item of items) {
    if (item.kind === 'loose') decodeEcho(item.raw);
    if (item.kind !== 'frame') continue;
    const f = item.frame;
    decodeSerial(f);
    decodeClock(f);
    decodeClock(f, CMD.setClock);
    decodeCount(f);
    const glue = decodeGlue(f, Math.floor(f.payload.length / GLUE_RECORD_LENGTH));
    if (!glue.ok) continue;
    for (const record of glue.value) {
      records++;
      normalizeRecord(record.flags, record.value);
    }
  }
  return records;
}
