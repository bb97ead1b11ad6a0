import { HttpResponseFramer } from '../../kit/index.ts';
import { decodeDeviceList, decodeReadings, deviceTimeOf } from './decode.ts';
import { normalizeReading, unitsOf, type DisplayUnits } from './normalize.ts';

/** No display units known before a device list has been read (the session asks for the list first). */
const NO_UNITS: DisplayUnits = {};

/**
 * `Driver.decodeProbe`: response envelopes → the HTTP framer → each body read as a device list
 * (its units then apply) and as a reading list, every reading normalized, as the session does.
 */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = new HttpResponseFramer();
  let units = NO_UNITS;
  let records = 0;
  for (const chunk of chunks) {
    for (const response of framer.push(chunk).frames) {
      const devices = decodeDeviceList(response.body);
      if (devices.ok) {
        const first = devices.value[0];
        if (first) {
          units = unitsOf(first);
          const date: unknown = first['date'];
          deviceTimeOf(typeof date === 'string' ? date : undefined);
        }
        continue;
      }
      const readings = decodeReadings(response.body);
      if (!readings.ok) continue;
      for (const entry of readings.value) {
        records++;
        deviceTimeOf(entry.date);
        normalizeReading(entry, units);
      }
    }
  }
  return records;
}
