import { concatBytes } from '../../kit/index.ts';
import { decodeCount, decodeMeasurement, decodeVersion } from './decode.ts';
import { normalizeMeasurement } from './normalize.ts';
import { GDC_DATA_BYTES, GME_DATA_BYTES, InputReportFramer, OK, VER_DATA_BYTES, parseAnswer } from './protocol.ts';

/**
 * `Driver.decodeProbe`: input reports → the report framer → every `OK` answer found in the bytes,
 * checked as a reading, count and version answer in turn (the session knows which it asked for;
 * the probe does not), then decode and normalize, as the session does.
 */
export function decodeProbe(reports: readonly Uint8Array[]): number {
  const framer = new InputReportFramer();
  const bytes = concatBytes(reports.flatMap((report) => framer.push(report).frames.map((f) => f.data)));
  let records = 0;
  for (let at = bytes.indexOf(OK[0] ?? 0); at >= 0; at = bytes.indexOf(OK[0] ?? 0, at + 1)) {
    if (bytes[at + 1] !== OK[1]) continue;
    for (const size of [GME_DATA_BYTES, GDC_DATA_BYTES, VER_DATA_BYTES]) {
      const answer = parseAnswer(bytes.subarray(at, at + 3 + size), size);
      if (answer.kind !== 'ok') continue;
      if (size === GDC_DATA_BYTES) decodeCount(answer.data);
      if (size === VER_DATA_BYTES) decodeVersion(answer.data);
      if (size !== GME_DATA_BYTES) continue;
      const decoded = decodeMeasurement(answer.data);
      if (!decoded.ok) continue;
      records++;
      normalizeMeasurement(decoded.record);
    }
  }
  return records;
}
