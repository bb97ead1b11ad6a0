import { describe, expect, it } from 'vitest';
import { decodeCount, decodeMeasurement, decodeVersion } from './decode.ts';
import { HEM_FLAGS, normalizeMeasurement } from './normalize.ts';
import { fromLatin1, xor8 } from '../../kit/index.ts';

/** 13 data bytes + their XOR, as a checked GME answer carries them. */
const gme = (b: number[]): Uint8Array => Uint8Array.from([...b, xor8(Uint8Array.from(b))]);
const NOTES = [0x07, 0x01, 0x03, 0x00, 0x06, 0x33, 0x00, 0x00, 0x70, 0x4b, 0x47, 0x00, 0x00];

describe('omron-hem-790it decode and normalize (PROTOCOL.md §4–5)', () => {
  it("reads the notes' example: 2007-01-03 00:06:51, 112/75, pulse 71, single reading", () => {
    const decoded = decodeMeasurement(gme(NOTES));
    expect(decoded).toEqual({
      ok: true,
      record: { deviceTime: '2007-01-03T00:06:51', timeBytes: NOTES.slice(0, 6), unit: 0, systolic: 112, diastolic: 75, pulse: 71, irregularHeartbeat: false, bodyMovement: false, truReadIndex: 0 },
    });
  });

  it('uses the systolic high byte and the flags word (irregular, movement, TruRead)', () => {
    const r = decodeMeasurement(gme([26, 1, 15, 8, 0, 0, 1, 0x01, 0x00, 104, 96, 0x00, 0x23]));
    expect(r.ok && r.record).toMatchObject({ systolic: 256, unit: 1, irregularHeartbeat: true, bodyMovement: true, truReadIndex: 2 });
  });

  it('keeps a reading whose stored date is no date, without a device time', () => {
    for (const time of [[0, 0, 0, 0, 0, 0], [26, 2, 30, 8, 0, 0], [26, 13, 1, 8, 0, 0], [26, 1, 1, 24, 0, 0]]) {
      const r = decodeMeasurement(gme([...time, 0, 0, 120, 80, 70, 0, 0]));
      expect(r.ok && r.record.deviceTime).toBeUndefined();
      expect(r.ok).toBe(true);
    }
  });

  it('refuses an empty slot and values no cuff measures', () => {
    expect(decodeMeasurement(gme([26, 1, 1, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toMatchObject({ ok: false, reason: expect.stringContaining('empty') });
    // SYS 400; DIA over SYS; pulse 10; SYS 19; DIA 5
    for (const [sys, dia, pulse] of [[400, 80, 70], [120, 130, 70], [120, 80, 10], [19, 10, 70], [120, 5, 70]] as const) {
      expect(decodeMeasurement(gme([26, 1, 1, 8, 0, 0, 0, sys >> 8, sys & 0xff, dia, pulse, 0, 0])).ok).toBe(false);
    }
    expect(decodeMeasurement(new Uint8Array(13)).ok).toBe(false);
  });

  it('reads the count (bytes 2–3) and the version text', () => {
    expect(decodeCount(Uint8Array.of(0x00, 0x0a, 0x00, 0x08, 0x02))).toBe(8);
    expect(decodeCount(Uint8Array.of(0x00, 0x0a, 0x01, 0xf4, 0xff))).toBe(500);
    expect(decodeCount(Uint8Array.of(0x00, 0x08))).toBeUndefined();
    expect(decodeVersion(Uint8Array.from([...fromLatin1('M7080IT 207'), 0x4a]))).toBe('M7080IT 207');
    expect(decodeVersion(Uint8Array.of(0x01, 0x02, 0x03))).toBeUndefined();
  });

  it('makes one BP panel in mm[Hg] and the pulse from the cuff, with the flags', () => {
    const r = decodeMeasurement(gme([26, 1, 15, 8, 0, 0, 0, 0, 141, 92, 88, 0x00, 0x03]));
    if (!r.ok) throw new Error(r.reason);
    const n = normalizeMeasurement(r.record);
    expect(n.flags).toEqual([HEM_FLAGS.irregularHeartbeat, HEM_FLAGS.bodyMovement]);
    expect(n.observations).toHaveLength(2);
    const [panel, pulse] = n.observations;
    expect(panel?.code).toBe('85354-9');
    expect(panel?.components?.map((c) => [c.code, c.value])).toEqual([
      ['8480-6', { kind: 'quantity', value: 141, unit: 'mm[Hg]' }],
      ['8462-4', { kind: 'quantity', value: 92, unit: 'mm[Hg]' }],
    ]);
    expect(pulse).toMatchObject({ code: '8867-4', value: { kind: 'quantity', value: 88, unit: '/min' }, mdc: 149546 });
    expect(normalizeMeasurement({ ...r.record, deviceTime: undefined, irregularHeartbeat: false, bodyMovement: false }).flags).toEqual([HEM_FLAGS.timeInvalid]);
  });
});
