import { decodeClock, decodeHeader, decodeRecord, decodeSerial, decodeVersion } from './decode.ts';
import { normalizeRecord } from './normalize.ts';
import { UltraFramer } from './protocol.ts';

/**
 * `Driver.decodeProbe`: the line framer, then every decoder over every line (the session meets
 * any line in any state), and normalize of each record in both display units.
 */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = new UltraFramer();
  const frames = chunks.flatMap((chunk) => framer.push(chunk).frames);
  frames.push(...framer.flush().frames);
  let records = 0;
  for (const frame of frames) {
    if (frame.kind !== 'line') continue;
    decodeSerial(frame.text);
    decodeVersion(frame.text);
    decodeClock(frame.text);
    decodeHeader(frame.text);
    const record = decodeRecord(frame.text);
    if (!record.ok) continue;
    records++;
    normalizeRecord(record.value, 'mg/dL');
    normalizeRecord(record.value, 'mmol/L');
  }
  return records;
}
