import { decodeReport } from './decode.ts';
import { normalizeReport } from './normalize.ts';
import { ReportFramer } from './protocol.ts';

/**
 * `Driver.decodeProbe`: the report framer, then decode and normalize of every report, as the
 * session's `handle` does. Returns the reports decoded.
 */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = new ReportFramer();
  const frames = chunks.flatMap((chunk) => framer.push(chunk).frames);
  frames.push(...framer.flush().frames);
  let reports = 0;
  for (const frame of frames) {
    const outcome = decodeReport(frame);
    if (!outcome.ok) continue;
    reports++;
    normalizeReport(outcome.report);
  }
  return reports;
}
