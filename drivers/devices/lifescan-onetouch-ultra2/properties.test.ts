import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitBy } from '../../../test/helpers/chunked-stream.ts';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeClock, decodeHeader, decodeRecord, decodeSerial, decodeVersion, type UltraRecord } from './decode.ts';
import { normalizeRecord } from './normalize.ts';
import { UltraFramer, formatLine, type UltraFrame } from './protocol.ts';

const RUNS = { numRuns: 1000 };
const d2 = (n: number): string => String(n).padStart(2, '0');
const d3 = (n: number): string => String(n).padStart(3, '0');

/** A random record as a meter could print it, and what it must decode to. */
const recordArb = fc.record({
  month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }), year: fc.integer({ min: 0, max: 99 }),
  hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }), second: fc.integer({ min: 0, max: 59 }),
  control: fc.boolean(), parity: fc.boolean(), mgdl: fc.integer({ min: 0, max: 999 }),
  meal: fc.constantFrom('N', 'B', 'A'), comment: fc.integer({ min: 0, max: 11 }),
});
type RecordSpec = typeof recordArb extends fc.Arbitrary<infer T> ? T : never;

function textOf(r: RecordSpec): string {
  const result = `${r.control ? 'C' : ' '} ${d3(r.mgdl)}${r.parity ? '?' : ' '}`;
  return `P "SAT","${d2(r.month)}/${d2(r.day)}/${d2(r.year)}","${d2(r.hour)}:${d2(r.minute)}:${d2(r.second)}   ","${result}","${r.meal}","${d2(r.comment)}", 00`;
}

function expected(r: RecordSpec): Pick<UltraRecord, 'deviceTime' | 'control' | 'parityError' | 'value' | 'meal' | 'comment'> {
  return {
    deviceTime: `20${d2(r.year)}-${d2(r.month)}-${d2(r.day)}T${d2(r.hour)}:${d2(r.minute)}:${d2(r.second)}`,
    control: r.control, parityError: r.parity, value: { kind: 'number', mgdl: r.mgdl }, meal: r.meal, comment: d2(r.comment),
  };
}

/** Framer + every decoder over the chunks given, as the driver runs them; records in order. */
function decodeStream(chunks: Uint8Array[]): { records: UltraRecord[]; frames: UltraFrame[] } {
  const framer = new UltraFramer();
  const frames = chunks.flatMap((c) => framer.push(c).frames);
  framer.flush();
  const records: UltraRecord[] = [];
  for (const f of frames) {
    if (f.kind !== 'line') continue;
    // Every decoder sees every line: none may throw on what it does not understand.
    decodeSerial(f.text);
    decodeVersion(f.text);
    decodeClock(f.text);
    decodeHeader(f.text);
    const r = decodeRecord(f.text);
    if (r.ok) records.push(r.value);
  }
  return { records, frames };
}

describe('properties', () => {
  it('a dump gives the same records whole, byte by byte or cut anywhere, with any line ending', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 8 }), fc.constantFrom('\r\n', '\r', '\n'), (specs, sizes, ending) => {
        const stream = fromLatin1(formatLine(`P ${d3(specs.length)},"SIM04711Y","MG/DL "`, ending) + specs.map((s) => formatLine(textOf(s), ending)).join(''));
        const whole = decodeStream([stream]).records;
        expect(whole.map((r) => ({ deviceTime: r.deviceTime, control: r.control, parityError: r.parityError, value: r.value, meal: r.meal, comment: r.comment }))).toEqual(specs.map(expected));
        expect(decodeStream(splitBy(stream, sizes)).records).toEqual(whole);
        expect(decodeStream(splitBy(stream, [1])).records).toEqual(whole);
      }),
      RUNS,
    );
  });

  it('random bytes never throw and never make a record, nor a reading', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 200 }), { maxLength: 6 }), (chunks) => {
        const { records } = decodeStream(chunks);
        expect(records).toEqual([]);
      }),
      RUNS,
    );
  });

  it('printable noise shaped like the protocol never makes a record', () => {
    const noise = fc.stringMatching(/^[P "0-9A-F,:/?CNBA\r\n]{0,120}$/);
    fc.assert(
      fc.property(noise, (text) => {
        expect(decodeStream([fromLatin1(text)]).records).toEqual([]);
      }),
      RUNS,
    );
  });

  it('any one byte changed in a record line makes the checksum refuse it: no wrong value gets through', () => {
    fc.assert(
      fc.property(recordArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (spec, where, delta) => {
        const line = fromLatin1(formatLine(textOf(spec)));
        const at = where % (line.length - 2); // the CR LF is the frame, not the data
        const damaged = Uint8Array.from(line);
        damaged[at] = ((damaged[at] ?? 0) + delta) & 0xff;
        const { records, frames } = decodeStream([damaged]);
        expect(records).toEqual([]);
        expect(frames.some((f) => f.kind === 'bad')).toBe(true);
      }),
      RUNS,
    );
  });

  it('every decodable record normalizes to a valid reading body without throwing', () => {
    fc.assert(
      fc.property(recordArb, fc.constantFrom('mg/dL', 'mmol/L', 'unknown') as fc.Arbitrary<'mg/dL' | 'mmol/L' | 'unknown'>, (spec, unit) => {
        const decoded = decodeRecord(textOf(spec));
        expect(decoded.ok).toBe(true);
        if (!decoded.ok) return;
        const out = normalizeRecord(decoded.value, unit);
        expect(out.kind).toBe(spec.control ? 'control' : 'patient');
        expect(out.observations).toHaveLength(1);
        expect(out.observations[0]?.value).toMatchObject({ kind: 'quantity', unit: 'mg/dL' });
      }),
      RUNS,
    );
  });
});
