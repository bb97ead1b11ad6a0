import { decodeDataPacket, decodeIdPacket } from './decode.ts';
import { normalizeRecord } from './normalize.ts';
import { parsePacket, ReplyFramer } from './protocol.ts';

/**
 * `Driver.decodeProbe`: the reply framer, then both packet decoders over every packet whose
 * structure holds (whatever its checksum: the decoders must survive any bytes), and normalize of
 * each data packet with and without an ID packet. Returns the data packets decoded.
 */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = new ReplyFramer();
  const replies = chunks.flatMap((chunk) => framer.push(chunk).frames);
  replies.push(...framer.flush().frames);
  let records = 0;
  let id;
  for (const reply of replies) {
    if (reply.kind !== 'packet') continue;
    const parsed = parsePacket(reply.raw);
    if (!parsed.ok) continue;
    const idPacket = decodeIdPacket(parsed.packet.lines);
    if (idPacket.ok) id = idPacket.value;
    const data = decodeDataPacket(parsed.packet.lines);
    if (!data.ok) continue;
    records++;
    normalizeRecord(data.value, id);
    normalizeRecord(data.value, undefined);
  }
  return records;
}
