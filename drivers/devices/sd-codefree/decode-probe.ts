import { decodeCount, decodeRecord, isChallenge } from './decode.ts';
import { normalizeRecord } from './normalize.ts';
import { CodeFreeFramer } from './protocol.ts';

/** `Driver.decodeProbe`: the framer, then every decoder over every message, normalize of each record. */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = new CodeFreeFramer();
  const items = chunks.flatMap((c) => framer.push(c).frames);
  items.push(...framer.flush().frames);
  let records = 0;
  for (const item of items) {
    if (item.kind !== 'packet') continue;
    isChallenge(item.packet.message);
    decodeCount(item.packet.message);
    const record = decodeRecord(item.packet.message);
    if (!record.ok) continue;
    records++;
    normalizeRecord(record.value);
  }
  return records;
}
