import { decodeRow } from './decode.ts';
import { normalizeMobile } from './normalize.ts';
import { parseReport } from './protocol.ts';

/** `Driver.decodeProbe`: the chunks as one file → report → rows → observations (the fuzzer's view). */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const text = new TextDecoder().decode(Uint8Array.from(chunks.flatMap((c) => [...c])));
  let report;
  try {
    report = parseReport(text);
  } catch {
    return 0;
  }
  let results = 0;
  for (const row of report.rows) {
    const d = decodeRow(row);
    if (d.ok && d.result) {
      results++;
      normalizeMobile(d.result);
    }
  }
  return results;
}
