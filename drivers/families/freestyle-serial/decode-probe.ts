import { DumpAssembler, decodeClock, decodeRecord } from './dump.ts';
import { FreestyleLineFramer } from './lines.ts';
import { normalizeRecord } from './normalize.ts';

/**
 * The dump half of `Driver.decodeProbe` for FreeStyle serial meters: the line framer, the dump assembler over every line, and the record and
 * clock decoders (with normalize) over every line, as the session may meet any line anywhere.
 */
export function decodeDumpProbe(chunks: readonly Uint8Array[]): number {
  const framer = new FreestyleLineFramer();
  const lines = chunks.flatMap((chunk) => framer.push(chunk).frames);
  lines.push(...framer.flush().frames);
  let assembler = new DumpAssembler();
  let records = 0;
  for (const line of lines) {
    const step = assembler.push(line);
    if (step.kind === 'done' || step.kind === 'failed') assembler = new DumpAssembler();
    decodeClock(line.text);
    const record = decodeRecord(line.text);
    if (!record.ok) continue;
    records++;
    normalizeRecord(record.value, false);
    normalizeRecord(record.value, true);
  }
  return records;
}
