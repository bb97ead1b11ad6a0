import { decodeClock, decodeDownloadCheck, decodeFirmware, decodeModel, decodeRecord, decodeSerial, downloadSum } from './decode.ts';
import { normalizeRecord } from './normalize.ts';
import { MessageFramer } from './protocol.ts';

/**
 * `Driver.decodeProbe`: input reports → message framer → every payload decoder → normalize, as
 * the session would use them, without a link or clock. Never throws; returns records decoded.
 */
export function decodeProbe(reports: readonly Uint8Array[]): number {
  const framer = new MessageFramer();
  const bodies: string[] = [];
  let records = 0;
  for (const report of reports) {
    for (const message of framer.push(report).frames) {
      const p = message.payload;
      decodeModel(p);
      decodeSerial(p);
      decodeFirmware(p);
      decodeClock(p);
      const check = decodeDownloadCheck(p);
      if (check) {
        downloadSum(bodies);
        bodies.length = 0;
      }
      const record = decodeRecord(p);
      if (record.ok) {
        bodies.push(record.record.body);
        normalizeRecord(record.record);
        records++;
      }
    }
  }
  framer.flush();
  return records;
}
