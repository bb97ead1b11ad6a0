import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeInsulinxRecord } from './decode.ts';
import { formatTextReply, hex, parseMultiRecord, parseTextReply, splitPayloads, textChecksum, TextReplyAssembler, parseReport, MESSAGE_TYPE, REPORT_SIZE_BYTES } from './protocol.ts';

/** A glucose record line in the PROTOCOL.md §3 layout. */
const record = fc
  .record({ id: fc.integer({ min: 0, max: 99_999 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }), y: fc.integer({ min: 0, max: 99 }), h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }), v: fc.integer({ min: 0, max: 99_999 }) })
  .map((r) => ({ ...r, line: `0,${r.id},${r.mo},${r.d},${r.y},${r.h},${r.mi},0,0,0,0,0,0,${r.v},0,0` }));

describe('InsuLinx properties', () => {
  it('any glucose line decodes to its own id, time and value', () => {
    fc.assert(
      fc.property(record, (r) => {
        const decoded = decodeInsulinxRecord(r.line);
        expect(decoded).toMatchObject({ ok: true, record: { kind: 'glucose', id: String(r.id), value: { kind: 'number', value: r.v } } });
        if (decoded.ok && decoded.record.kind === 'glucose') expect(decoded.record.time.local?.slice(0, 4)).toBe(String(2000 + r.y));
      }),
      { numRuns: 500 },
    );
  });

  it('a records reply cut into reports at random sizes reassembles into the same lines', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 62 }), { minLength: 1, maxLength: 8 }), (records, sizes) => {
        const body = records.map((r) => `${r.line}\r\n`).join('');
        const reply = formatTextReply(`${body}${records.length},${hex(textChecksum(body), 8)}\r\n`);
        const assembler = new TextReplyAssembler();
        let state = 'more';
        for (const payload of splitPayloads(reply, sizes)) {
          const report = new Uint8Array(REPORT_SIZE_BYTES);
          report.set([MESSAGE_TYPE.text, payload.length]);
          report.set(payload, 2);
          const parsed = parseReport(report);
          if (!parsed.ok) throw new Error('report did not parse');
          state = assembler.push(parsed.report);
        }
        expect(state).toBe('complete');
        const text = parseTextReply(assembler.text);
        if (!text.ok) throw new Error('reply did not parse');
        const multi = parseMultiRecord(text.message);
        expect(multi.ok && multi.lines.map((l) => l.text)).toEqual(records.map((r) => r.line));
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on any line', () => {
    fc.assert(fc.property(fc.string({ maxLength: 120 }), (line) => void decodeInsulinxRecord(line)), { numRuns: 2000 });
  });
});
