import { decodeRecord } from './decode.ts';
import { errorMessage, normalizeResults } from './normalize.ts';
import { DATE_ORDERS, createRecordFramer } from './protocol.ts';

/**
 * `Driver.decodeProbe`: the record framer, then decode and normalize of every line in both
 * date orders, as `createSession`'s `handle` does. Returns the records decoded.
 */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = createRecordFramer();
  const lines = chunks.flatMap((chunk) => framer.push(chunk).frames);
  lines.push(...framer.flush().frames);
  let records = 0;
  for (const line of lines) {
    for (const dateOrder of DATE_ORDERS) {
      const outcome = decodeRecord(line, { dateOrder });
      if (!outcome.ok) continue;
      records++;
      if (outcome.record.type === 'error') errorMessage(outcome.record);
      else normalizeResults(outcome.record);
    }
  }
  return records;
}
