import { decodeClock, decodeSerial, decodeSlot } from './decode.ts';
import { normalizeRecord } from './normalize.ts';
import { PacketFramer } from './protocol.ts';

/** `Driver.decodeProbe`: bytes → packet framer → every payload decoder → normalize. Never throws. */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = new PacketFramer();
  let records = 0;
  for (const chunk of chunks) {
    for (const packet of framer.push(chunk).frames) {
      decodeSerial(packet.payload);
      decodeClock(packet.payload);
      const slot = decodeSlot(packet.payload);
      if (slot.kind === 'record') {
        normalizeRecord(slot.record);
        records++;
      }
    }
  }
  framer.flush();
  return records;
}
