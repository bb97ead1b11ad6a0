import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeClock, decodeCount, decodeHeader, decodeRecord, encodeRecord } from './decode.ts';
import { normalizeRecord } from './normalize.ts';
import { TokenFramer, e1381Sum, formatFramedLine, parseLine } from './protocol.ts';

describe('ReliOn Prime lines and records (PROTOCOL.md §2–5)', () => {
  it('checks the notes\' header vector (sum 0x54) and reads model, version and serial', () => {
    const line = parseLine('\x021H|\\^&|||ReliOnPrime^V1.0^SN1234567\x1754');
    expect(line.checksum).toBe('good');
    expect(decodeHeader(line.content)).toEqual({ model: 'ReliOnPrime', version: 'V1.0', serial: 'SN1234567' });
    expect(parseLine('\x021H|\\^&|||ReliOnPrime^V1.0^SN1234567\x1755').checksum).toBe('bad');
    expect(formatFramedLine('1H|\\^&|||ReliOnPrime^V1.0^SN1234567')).toBe('\x021H|\\^&|||ReliOnPrime^V1.0^SN1234567\x1754\r\n');
    expect(e1381Sum('A\x17')).toBe(0x58);
  });

  it('decodes a record: byte-swapped value (6800 → 104), mmHHDDMMYY, flags', () => {
    const r = decodeRecord('024|6800420705032404');
    expect(r).toEqual({ ok: true, record: { text: '6800420705032404', value: 104, flags: 4, time: { text: '4207050324', local: '2024-03-05T07:42:00' } } });
    expect(encodeRecord({ value: 104, minute: 42, hour: 7, day: 5, month: 3, year: 2024, flags: 4 })).toBe('6800420705032404');
    if (!r.ok) return;
    expect(normalizeRecord(r.record)).toMatchObject({ kind: 'control', flags: ['control-solution'] });
    expect(decodeRecord('024|68004207050324')).toMatchObject({ ok: false });
    expect(decodeRecord('6800420705032404')).toMatchObject({ ok: false });
  });

  it('HI and LO from the flags are the bounds of the measuring range, whatever number is stored beside them', () => {
    const at = (flags: number, value: number) => {
      const r = decodeRecord(`000|${encodeRecord({ value, minute: 0, hour: 8, day: 1, month: 2, year: 2026, flags })}`);
      if (!r.ok) throw new Error(r.reason);
      return normalizeRecord(r.record);
    };
    for (const stored of [600, 0, 612]) expect(at(1, stored).observations[0]).toMatchObject({ value: { value: 600, comparator: '>' }, interpretation: 'HH' });
    for (const stored of [20, 0, 600]) expect(at(2, stored).observations[0]).toMatchObject({ value: { value: 20, comparator: '<' }, interpretation: 'LL' });
    expect(at(0, 600).observations[0]?.value).toEqual({ kind: 'quantity', value: 600, unit: 'mg/dL' });
  });

  it('clock and count replies', () => {
    expect(decodeClock('T|1430|', 'D|240305|')).toEqual({ text: '240305 1430', local: '2024-03-05T14:30:00' });
    expect(decodeClock('T|2530|', 'D|240305|')?.local).toBeUndefined();
    expect(decodeClock('x', 'D|240305|')).toBeUndefined();
    expect(decodeCount('M|36|')).toBe(36);
    expect(decodeCount('M||')).toBeUndefined();
  });

  it('the token framer: control bytes, framed lines split anywhere, a broken line, garbage', () => {
    const stream = fromLatin1(`\x05${formatFramedLine('T|1430|')}\x06\x15`);
    const whole = new TokenFramer().push(stream).frames.map((t) => (t.kind === 'control' ? t.byte : t.content));
    expect(whole).toEqual([0x05, 'T|1430|', 0x06, 0x15]);
    for (let cut = 1; cut < stream.length; cut++) {
      const f = new TokenFramer();
      const got = [...f.push(stream.subarray(0, cut)).frames, ...f.push(stream.subarray(cut)).frames].map((t) => (t.kind === 'control' ? t.byte : t.content));
      expect(got).toEqual(whole);
    }
    const broken = new TokenFramer().push(fromLatin1(`\x02M|3${formatFramedLine('M|3|')}\x01`));
    expect(broken.problems.map((p) => p.code)).toEqual(['PROTOCOL_TRUNCATED', 'PROTOCOL_GARBAGE']);
    expect(broken.frames.map((t) => (t.kind === 'line' ? t.checksum : 'c'))).toEqual(['good']);
  });
});
