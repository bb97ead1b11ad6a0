import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ApduFramer,
  DATA,
  EVENT,
  decodeAbsoluteTime,
  decodeApdu,
  decodeConfigReport,
  decodeEventReport,
  decodeGetResult,
  decodeMdsAttributes,
  decodeSegmentDataEvent,
  decodeSegmentEntryMap,
  decodeSegmentInfoList,
  encodeAbsoluteTime,
  encodeEventReport,
  encodePrst,
  encodeSegmentDataEvent,
  splitEntries,
  decodeSfloat,
  encodeSfloat,
  SEG_ENTRY_HEADER,
} from './index.ts';

const segmentEvent = fc.record({
  invokeId: fc.integer({ min: 0, max: 0xffff }),
  instance: fc.integer({ min: 0, max: 0xffff }),
  firstIndex: fc.integer({ min: 0, max: 0xffffffff }),
  status: fc.integer({ min: 0, max: 0xffff }),
  entries: fc.array(fc.uint8Array({ minLength: 12, maxLength: 12 }), { maxLength: 30 }),
});

function apduOf(e: { invokeId: number; instance: number; firstIndex: number; status: number; entries: Uint8Array[] }): Uint8Array {
  const bytes = Uint8Array.from(e.entries.flatMap((x) => [...x]));
  const info = encodeSegmentDataEvent({ instance: e.instance, firstIndex: e.firstIndex, count: e.entries.length, status: e.status, entries: bytes });
  return encodePrst(e.invokeId, DATA.roivConfirmedEventReport, encodeEventReport({ handle: 16, time: 0, eventType: EVENT.segmentData, info }));
}

const simpleMap = { header: SEG_ENTRY_HEADER.absoluteTime, elements: [{ objClass: 6, metricPartition: 2, metricCode: 29112, handle: 1, attributes: [{ id: 0x0a4c, length: 2 }, { id: 0x0947, length: 2 }] }] };

describe('IEEE 11073 family properties', () => {
  it('random segment-data events decode to what they encode, and cut into their entries', () => {
    fc.assert(
      fc.property(segmentEvent, (e) => {
        const apdu = decodeApdu(apduOf(e));
        expect(apdu.ok).toBe(true);
        if (!apdu.ok || apdu.apdu.kind !== 'prst') return;
        expect(apdu.apdu.invokeId).toBe(e.invokeId);
        const report = decodeEventReport(apdu.apdu.message);
        const data = report && decodeSegmentDataEvent(report.info);
        expect(data).toMatchObject({ instance: e.instance, firstIndex: e.firstIndex, count: e.entries.length, status: e.status });
        if (!data) return;
        const cut = splitEntries(data, simpleMap);
        expect(cut.problem).toBeUndefined();
        expect(cut.entries.map((x) => Array.from(x.raw))).toEqual(e.entries.map((x) => Array.from(x)));
      }),
      { numRuns: 1000 },
    );
  });

  it('the framer gives the same APDUs whole, byte by byte and cut anywhere, with garbage between reported and skipped', () => {
    fc.assert(
      fc.property(fc.array(segmentEvent, { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 50 }), fc.uint8Array({ minLength: 0, maxLength: 8 }), (events, cuts, noise) => {
        const apdus = events.map(apduOf);
        // Noise never starting with 0xEx, so it cannot begin a plausible APDU header.
        const clean = Uint8Array.from(noise, (b) => ((b & 0xf0) === 0xe0 ? 0x11 : b));
        const stream = Uint8Array.from([...clean, ...apdus.flatMap((a) => [...a])]);
        const framer = new ApduFramer();
        const frames: Uint8Array[] = [];
        let problems = 0;
        let at = 0;
        for (let i = 0; at < stream.length; i++) {
          const n = cuts[i % cuts.length] ?? 1;
          const out = framer.push(stream.slice(at, at + n));
          frames.push(...out.frames);
          problems += out.problems.length;
          at += n;
        }
        problems += framer.flush().problems.length;
        expect(frames.map((f) => Array.from(f))).toEqual(apdus.map((a) => Array.from(a)));
        expect(problems).toBe(clean.length > 0 ? 1 : 0);
      }),
      { numRuns: 1000 },
    );
  });

  it('random bytes never throw out of any decoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        const framer = new ApduFramer();
        framer.push(b);
        framer.flush();
        decodeApdu(b);
        decodeEventReport(b);
        decodeConfigReport(b);
        decodeGetResult(b);
        const get = decodeGetResult(b);
        if (get) decodeMdsAttributes(get.attributes);
        decodeMdsAttributes([{ id: 0x0928, value: b }, { id: 0x092d, value: b }, { id: 0x0987, value: b }, { id: 0x0a5a, value: b }, { id: 0x0984, value: b }]);
        decodeSegmentDataEvent(b);
        decodeSegmentEntryMap(b);
        decodeSegmentInfoList(b);
        decodeAbsoluteTime(b.slice(0, 8));
        const event = decodeSegmentDataEvent(b);
        if (event) splitEntries(event, simpleMap);
      }),
      { numRuns: 2000 },
    );
  });

  it('absolute times and SFLOATs round-trip', () => {
    // SFLOAT mantissas are 12-bit two's complement, but 0x7FE…0x802 are the special values (+INF,
    // NaN, NRes, reserved, -INF): the numbers a meter can send are -2045…+2045.
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), fc.integer({ min: -2045, max: 2045 }), fc.integer({ min: -8, max: 7 }), (d, mantissa, exponent) => {
        const t = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), hundredths: 0 };
        expect(decodeAbsoluteTime(encodeAbsoluteTime(t))).toEqual({ ok: true, time: t });
        const v = decodeSfloat(encodeSfloat(mantissa, exponent));
        expect(v.kind).toBe('number');
        if (v.kind === 'number') expect(v.value).toBeCloseTo(mantissa * 10 ** exponent, 8);
      }),
      { numRuns: 1000 },
    );
  });
});
