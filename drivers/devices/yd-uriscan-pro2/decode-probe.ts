import { decodeReport } from './decode.ts';
import { normalizeReport } from './normalize.ts';
import { createReportFramer } from './protocol.ts';

/**
 * `Driver.decodeProbe`: the report framer, then decode and normalize of every report, as
 * `createSession`'s `handle` does. Returns the reports decoded.
 */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = createReportFramer();
  const reports = chunks.flatMap((chunk) => framer.push(chunk).frames);
  reports.push(...framer.flush().frames);
  let decoded = 0;
  for (const frame of reports) {
    const outcome = decodeReport(frame);
    if (!outcome.ok) continue;
    decoded++;
    normalizeReport(outcome.report);
  }
  return decoded;
}
