import { decodeDataReport } from '../../families/cp2110/index.ts';
import { CMD } from './protocol.ts';
import { decodeClock, decodeCount, decodeEcho, decodeGlue, decodeSerial } from './decode.ts';
import { normalizeRecord } from './normalize.ts';
import { GLUE_RECORD_LENGTH, IspcFramer } from './protocol.ts';

/**
 * `Driver.decodeProbe`: each HID report through the CP2110 unwrapping, the frame reassembly, every
 * decoder over every frame (a reply may answer any request), normalize of each GLUE record.
 */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = new IspcFramer();
  const items = chunks.flatMap((report) => {
    const data = decodeDataReport(report);
    return data.ok ? framer.push(data.data).frames : [];
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
