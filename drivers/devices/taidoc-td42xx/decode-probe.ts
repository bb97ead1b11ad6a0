import { decodeDataReport } from '../../families/cp2110/index.ts';
import { decodeClock, decodeConnect, decodeCount, decodeModel, decodeRecordTime, decodeRecordValue, decodeSerialPart, decodeSetClock } from './decode.ts';
import { normalizeRecord } from './normalize.ts';
import { CMD, TaidocFramer } from './protocol.ts';

/**
 * `Driver.decodeProbe`: each HID report through the CP2110 unwrapping, the packet framer, every
 * decoder over every packet (a reply may answer any request), normalize of each record value.
 */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = new TaidocFramer();
  const items = chunks.flatMap((report) => {
    const data = decodeDataReport(report);
    return data.ok ? framer.push(data.data).frames : [];
  });
  items.push(...framer.flush().frames);
  let records = 0;
  for (const item of items) {
    if (item.kind !== 'packet') continue;
    const p = item.packet;
    decodeConnect(p);
    decodeModel(p);
    decodeClock(p);
    decodeSetClock(p);
    decodeCount(p);
    decodeRecordTime(p);
    decodeSerialPart(p, CMD.serialPart1);
    decodeSerialPart(p, CMD.serialPart2);
    const value = decodeRecordValue(p);
    if (!value.ok) continue;
    records++;
    normalizeRecord(value.value);
  }
  return records;
}
