import { decodeTemperatureRecord } from './decode.ts';
import { normalizeTemperature } from './normalize.ts';
import { createFramer } from './protocol.ts';

/**
 * `Driver.decodeProbe`: the packet framer, then every packet decoded as a temperature record and
 * normalized in both units, as the session does, without a link or a clock.
 */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = createFramer();
  const packets = chunks.flatMap((chunk) => framer.push(chunk).frames);
  packets.push(...framer.flush().frames);
  let records = 0;
  for (const packet of packets) {
    const decoded = decodeTemperatureRecord(packet);
    if (!decoded.ok) continue;
    records++;
    normalizeTemperature(decoded.record, 'Cel');
    normalizeTemperature(decoded.record, '[degF]');
  }
  return records;
}
