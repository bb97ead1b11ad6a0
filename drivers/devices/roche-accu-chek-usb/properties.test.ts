import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAbsoluteTime, encodeSfloat, splitEntries } from '../../families/ieee11073/index.ts';
import { decodeEntry, ROCHE_ENTRY_MAP } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { normalizeEntry } from './normalize.ts';

const entryArb = fc.record({
  date: fc.date({ min: new Date('2010-01-01T00:00:00Z'), max: new Date('2040-12-31T23:59:59Z'), noInvalidDate: true }),
  mgdl: fc.integer({ min: 1, max: 2045 }),
  status: fc.constantFrom(0, 0x0800, 0x4000),
});

describe('roche-accu-chek-usb properties', () => {
  it('random Roche entries decode and normalize to the value, time and kind they encode', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { minLength: 1, maxLength: 20 }), (list) => {
        const bytes = Uint8Array.from(
          list.flatMap((e) => {
            const d = e.date;
            const t = encodeAbsoluteTime({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), hundredths: 0 });
            const v = encodeSfloat(e.mgdl);
            return [...t, v >> 8, v & 0xff, e.status >> 8, e.status & 0xff];
          }),
        );
        const cut = splitEntries({ instance: 0, firstIndex: 0, count: list.length, status: 0xc000, entries: bytes }, ROCHE_ENTRY_MAP);
        expect(cut.problem).toBeUndefined();
        cut.entries.forEach((entry, i) => {
          const e = list[i];
          const decoded = decodeEntry(entry);
          if (!decoded.ok || !e) throw new Error('entry did not decode');
          expect(decoded.entry.deviceTime).toBe(e.date.toISOString().slice(0, 19));
          const n = normalizeEntry(decoded.entry, 'mg/dL', 20);
          if (!n.ok) throw new Error(n.message);
          expect(n.observations[0]?.value).toEqual({ kind: 'quantity', value: e.mgdl, unit: 'mg/dL' });
          expect(n.kind).toBe(e.status === 0x0800 ? 'control' : 'patient');
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('the decode probe never throws on random or damaged input', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 120 }), { maxLength: 6 }), (chunks) => {
        expect(decodeProbe(chunks)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('the decode probe finds both entries of the notes’ event, whole or split anywhere', () => {
    const hex = 'E7 00 00 38 00 36 00 05 01 01 00 30 00 10 FF FF FF FF 0D 21 00 26 00 00 00 00 00 00 00 00 00 02 C0 00 00 18 20 24 03 05 07 42 00 00 00 68 00 00 20 24 03 04 21 05 00 00 07 FE 00 00';
    const event = Uint8Array.from(hex.split(' ').map((h) => Number.parseInt(h, 16)));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: event.length - 1 }), (cut) => {
        expect(decodeProbe([event.slice(0, cut), event.slice(cut)])).toBe(2);
      }),
      { numRuns: 200 },
    );
  });
});
