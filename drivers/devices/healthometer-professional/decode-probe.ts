import { decodePacket } from './decode.ts';
import { normalizePacket } from './normalize.ts';
import { createPacketFramer } from './protocol.ts';

/** `Driver.decodeProbe`: the packet framer, then every packet decoded and normalized. */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = createPacketFramer();
  const packets = chunks.flatMap((chunk) => framer.push(chunk).frames);
  packets.push(...framer.flush().frames);
  let records = 0;
  for (const packet of packets) {
    const decoded = decodePacket(packet);
    if (!decoded.ok) continue;
    records++;
    normalizePacket(decoded.packet);
  }
  return records;
}
