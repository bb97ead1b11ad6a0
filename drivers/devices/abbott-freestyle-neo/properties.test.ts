import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLatin1, latin1 } from '../../kit/index.ts';
import { decodeLibreRecord, decodeNeoRecord, meterClock, parseDbRecordCount, parseUnitSetting, type NeoRecord } from './decode.ts';
import {
  MESSAGE_TYPE,
  REPORT_SIZE_BYTES,
  ReportFramer,
  TextReplyAssembler,
  encodeReport,
  formatTextReply,
  hex,
  parseMultiRecord,
  parseTextReply,
  textChecksum,
} from './protocol.ts';

const RUNS = { numRuns: 1000 };

/** A random Neo glucose or ketone record line (PROTOCOL.md §5) — valid traffic. */
const neoLineArb = fc
  .record({
    type: fc.constantFrom('7', '9'),
    id: fc.integer({ min: 1, max: 99_999 }),
    month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }), year: fc.integer({ min: 0, max: 99 }),
    hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }),
    value: fc.oneof(fc.integer({ min: 0, max: 600 }).map(String), fc.constantFrom('HI', 'LO')),
    patient: fc.constantFrom(0, 1),
  })
  .map((r) => {
    const head = `${r.type},${r.id},${r.month},${r.day},${r.year},${r.hour},${r.minute},0,${r.value}`;
    return r.type === '7' ? `${head},0,${r.patient},0,0,0,0,0,0,0,0` : `${head},${r.patient}`;
  });

/** A full `$result?` reply text for the lines (or Log Empty). */
function resultReply(lines: readonly string[]): string {
  if (lines.length === 0) return formatTextReply('Log Empty\r\n');
  const body = lines.map((l) => `${l}\r\n`).join('');
  return formatTextReply(`${body}${lines.length},${hex(textChecksum(body), 8)}\r\n`);
}

/** Reports as a meter could send them: payloads of the sizes given, keep-alives where asked, garbage padding. */
function toReports(text: string, cuts: { size: number; keepAlive: boolean; pad: number }[]): Uint8Array[] {
  const bytes = fromLatin1(text);
  const out: Uint8Array[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const cut = cuts[i % cuts.length] ?? { size: 62, keepAlive: false, pad: 0 };
    const payload = bytes.slice(at, at + cut.size);
    at += payload.length;
    if (cut.keepAlive) out.push(Uint8Array.of(MESSAGE_TYPE.keepAlive, 0x01, i & 0xff));
    const report = new Uint8Array(REPORT_SIZE_BYTES).fill(cut.pad);
    report.set(encodeReport(MESSAGE_TYPE.text, payload).subarray(0, 2 + payload.length));
    out.push(report);
  }
  return out;
}

/** What the host side makes of incoming reports: the decoded records, or why the reply was refused. */
function receive(reports: readonly Uint8Array[]): { records: NeoRecord[] } | { refused: string } {
  const framer = new ReportFramer();
  const assembler = new TextReplyAssembler();
  let state: 'more' | 'complete' | 'overflow' = 'more';
  for (const chunk of reports) {
    for (const report of framer.push(chunk).frames) {
      if (state !== 'more' || report.type !== MESSAGE_TYPE.text) continue;
      state = assembler.push(report);
    }
  }
  if (state !== 'complete') return { refused: state };
  const reply = parseTextReply(assembler.text);
  if (!reply.ok) return { refused: reply.code };
  const multi = parseMultiRecord(reply.message);
  if (!multi.ok) return { refused: multi.code };
  const records: NeoRecord[] = [];
  for (const line of multi.lines) {
    const d = decodeNeoRecord(line.text);
    if (d.ok) records.push(d.record);
  }
  return { records };
}

const cutsArb = fc.array(fc.record({ size: fc.integer({ min: 1, max: 62 }), keepAlive: fc.boolean(), pad: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 12 });

describe('properties (1,000 runs each)', () => {
  it('any report splitting, keep-alives and padding give the same records as the lines themselves', () => {
    fc.assert(
      fc.property(fc.array(neoLineArb, { maxLength: 25 }), cutsArb, (lines, cuts) => {
        const expected = lines.map((l) => {
          const d = decodeNeoRecord(l);
          if (!d.ok) throw new Error(d.reason);
          return d.record;
        });
        expect(receive(toReports(resultReply(lines), cuts))).toEqual({ records: expected });
      }),
      RUNS,
    );
  });

  it('one byte changed anywhere in a reply is refused, never decoded', () => {
    fc.assert(
      fc.property(fc.array(neoLineArb, { minLength: 1, maxLength: 8 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (lines, where, xor) => {
        const text = resultReply(lines);
        const at = where % text.length;
        const damaged = `${text.slice(0, at)}${String.fromCharCode(text.charCodeAt(at) ^ xor)}${text.slice(at + 1)}`;
        expect(receive(toReports(damaged, [{ size: 62, keepAlive: false, pad: 0 }]))).toHaveProperty('refused');
      }),
      RUNS,
    );
  });

  it('random reports never throw and never yield a record', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 80 }), { maxLength: 20 }), (chunks) => {
        const out = receive(chunks);
        expect('records' in out ? out.records : []).toEqual([]);
      }),
      RUNS,
    );
  });

  it('random text never throws in any decoder, and never decodes as a record by accident', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        const text = latin1(bytes);
        expect(() => [meterClock(text, text), parseDbRecordCount(text), parseUnitSetting(text), parseTextReply(text), parseMultiRecord(text)]).not.toThrow();
        expect(decodeNeoRecord(text).ok).toBe(false);
        expect(decodeLibreRecord(text).ok).toBe(false);
      }),
      RUNS,
    );
  });
});
