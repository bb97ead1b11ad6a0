import { concatBytes } from '../../kit/index.ts';
import { CSW_LENGTH, decodeCsw } from '../../families/usb-storage/bot.ts';
import { decodeClock, decodeCount, decodeDone, decodeRecord, decodeText, decodeUnit, inquiryVendor, packetFromBlock } from './decode.ts';
import { normalizeRecord } from './normalize.ts';

/**
 * `Driver.decodeProbe`: the meter-to-host stream cut into data phases at each valid CSW (the tags
 * belong to the host's side, which the probe does not have), every decoder over the packet at
 * the front of each data phase, and normalize of each record in both display units.
 * Returns the records decoded.
 */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const stream = concatBytes(chunks);
  let records = 0;
  let from = 0;
  for (let at = 0; at + CSW_LENGTH <= stream.length; at++) {
    if (stream[at] !== 0x55 || !decodeCsw(stream.subarray(at, at + CSW_LENGTH)).ok) continue;
    const data = stream.subarray(from, at);
    from = at + CSW_LENGTH;
    at = from - 1;
    if (data.length === 0) continue;
    inquiryVendor(data);
    const packet = packetFromBlock(data);
    if (!packet.ok) continue;
    const m = packet.message;
    decodeText(m);
    decodeUnit(m);
    decodeClock(m);
    decodeDone(m);
    decodeCount(m);
    const record = decodeRecord(m);
    if (!record.ok) continue;
    records++;
    normalizeRecord(record.value, 'mg/dL');
    normalizeRecord(record.value, 'mmol/L');
  }
  return records;
}
