import { AstmFramer } from '../../kit/index.ts';
import { AstmReceiver } from '../../families/astm/receiver.ts';
import { AstmRecordSplitter } from '../../families/astm/records.ts';
import { decodeHeader, decodeResult, terminationCode, type ContourHeader } from './decode.ts';
import { normalizeResult } from './normalize.ts';
import { unwrapReport } from './protocol.ts';

/**
 * `Driver.decodeProbe`: reports → unwrap → ASTM framer → receiver → record splitter → decode,
 * and normalize of each result under the last header seen (or none), as the session does.
 */
export function decodeProbe(reports: readonly Uint8Array[]): number {
  const framer = new AstmFramer();
  const receiver = new AstmReceiver();
  const splitter = new AstmRecordSplitter();
  let header: Pick<ContourHeader, 'range' | 'displayUnit'> = { range: undefined, displayUnit: undefined };
  let records = 0;
  for (const report of reports) {
    for (const token of framer.push(unwrapReport(report).payload).frames) {
      for (const received of receiver.receive(token).records) {
        const { record } = splitter.split(received.text);
        const decodedHeader = decodeHeader(record);
        if (decodedHeader.ok) header = decodedHeader.value;
        terminationCode(record);
        const result = decodeResult(record);
        if (!result.ok) continue;
        records++;
        normalizeResult(result.value, header);
      }
    }
  }
  return records;
}
