import { DATA, EVENT, decodeApdu, decodeConfigReport, decodeEventReport, decodeGetResult, decodeMdsAttributes, decodeSegmentDataEvent, splitEntries } from '../../families/ieee11073/index.ts';
import { createApduFramer } from './protocol.ts';
import { decodeEntry, ROCHE_ENTRY_MAP } from './decode.ts';
import { normalizeEntry } from './normalize.ts';

/**
 * `Driver.decodeProbe`: the APDU framer, then every decoder over every APDU the meter sends
 * (configuration, MDS attributes, segment data) and normalize of every entry in both units.
 */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = createApduFramer();
  const frames = chunks.flatMap((chunk) => framer.push(chunk).frames);
  let records = 0;
  for (const frame of frames) {
    const decoded = decodeApdu(frame);
    if (!decoded.ok || decoded.apdu.kind !== 'prst') continue;
    const { choice, message } = decoded.apdu;
    if (choice === DATA.rorsGet) {
      const get = decodeGetResult(message);
      if (get) decodeMdsAttributes(get.attributes);
    }
    const report = choice === DATA.roivConfirmedEventReport ? decodeEventReport(message) : undefined;
    if (report?.eventType === EVENT.config) decodeConfigReport(report.info);
    const event = report?.eventType === EVENT.segmentData ? decodeSegmentDataEvent(report.info) : undefined;
    if (!event) continue;
    for (const entry of splitEntries(event, ROCHE_ENTRY_MAP).entries) {
      const e = decodeEntry(entry);
      if (!e.ok) continue;
      records++;
      normalizeEntry(e.entry, 'mg/dL', 20);
      normalizeEntry(e.entry, 'mmol/L', 20);
    }
  }
  return records;
}
