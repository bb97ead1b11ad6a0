import { PacketFramer } from '../../families/lifescan/packets.ts';
import { decodeClock, decodeCount, decodeDone, decodeRecord, decodeSerial, decodeUnit, decodeVersion } from './decode.ts';
import { normalizeRecord } from './normalize.ts';

/**
 * `Driver.decodeProbe`: the packet framer, then every decoder over every packet's message (a
 * reply may answer any request), and normalize of each record in both display units.
 */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = new PacketFramer();
  const packets = chunks.flatMap((chunk) => framer.push(chunk).frames);
  packets.push(...framer.flush().frames);
  let records = 0;
  for (const { message } of packets) {
    decodeVersion(message);
    decodeSerial(message);
    decodeUnit(message);
    decodeClock(message);
    decodeDone(message);
    decodeCount(message);
    const record = decodeRecord(message);
    if (!record.ok) continue;
    records++;
    normalizeRecord(record.value, 'mg/dL');
    normalizeRecord(record.value, 'mmol/L');
  }
  return records;
}
