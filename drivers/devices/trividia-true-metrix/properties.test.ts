import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeProbe } from './decode-probe.ts';
import { decodeRecord } from './decode.ts';
import { MessageFramer, formatMessage, splitInputReports } from './protocol.ts';
import { recordBody } from './simulated-device.ts';

const RUNS = { numRuns: 1000 };

/** A random record: its fields and its body (PROTOCOL.md §4). */
const recordArb = fc
  .record({
    at: fc.date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true }),
    value: fc.integer({ min: 0, max: 2047 }),
    control: fc.boolean(),
    highBit: fc.boolean(),
    char10: fc.constantFrom(...'0123456789ABCDEF'),
    tail: fc.stringMatching(/^[0-9A-F]{0,6}$/),
  })
  .map((r) => ({ ...r, body: recordBody(r.at.getTime(), r.value, { control: r.control, highBit: r.highBit, char10: r.char10, tail: r.tail }) }));

describe('TRUE Metrix properties', () => {
  it('a random record decodes to what it encodes', () => {
    fc.assert(
      fc.property(recordArb, (r) => {
        const d = decodeRecord(`g5${r.body}`);
        expect(d.ok).toBe(true);
        if (!d.ok) return;
        expect(d.record.value).toBe(r.value);
        expect(d.record.control).toBe(r.control);
        expect(d.record.opaque).toEqual({ char7HighBit: r.highBit ? 1 : 0, char10: r.char10, tail: r.tail });
        const t = r.at;
        const two = (n: number): string => String(n).padStart(2, '0');
        expect(d.record.time.local).toBe(`${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())}T${two(t.getHours())}:${two(t.getMinutes())}:00`);
      }),
      RUNS,
    );
  });

  it('a message stream cut into reports anywhere gives the same messages', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 63 }), { minLength: 1, maxLength: 10 }), (records, sizes) => {
        const text = records.map((r) => formatMessage(`g5${r.body}`)).join('');
        const framer = new MessageFramer();
        const payloads = splitInputReports(text, sizes).flatMap((rep) => {
          const out = framer.push(rep);
          expect(out.problems).toEqual([]);
          return out.frames.map((f) => f.payload);
        });
        expect(payloads).toEqual(records.map((r) => `g5${r.body}`));
      }),
      RUNS,
    );
  });

  it('random bytes never throw, and a changed byte never yields a message with a wrong sum', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 70 }), { maxLength: 8 }), (reports) => {
        expect(() => decodeProbe(reports)).not.toThrow();
        const framer = new MessageFramer();
        for (const rep of reports) {
          for (const f of framer.push(rep).frames) expect(formatMessage(f.payload)).toBe(String.fromCharCode(...f.raw));
        }
      }),
      RUNS,
    );
  });

  it('one flipped character in a record message is caught by its checksum', () => {
    fc.assert(
      fc.property(recordArb, fc.nat(), (r, k) => {
        const text = formatMessage(`g5${r.body}`);
        const at = 1 + (k % (text.length - 4)); // inside the payload
        const flipped = `${text.slice(0, at)}${String.fromCharCode(text.charCodeAt(at) ^ 0x01)}${text.slice(at + 1)}`;
        const out = new MessageFramer().push(Uint8Array.from([flipped.length, ...fromLatin1(flipped)]));
        expect(out.frames).toEqual([]);
      }),
      RUNS,
    );
  });
});
