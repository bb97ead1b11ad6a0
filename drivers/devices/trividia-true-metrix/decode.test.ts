import { describe, expect, it } from 'vitest';
import { decodeClock, decodeDownloadCheck, decodeFirmware, decodeModel, decodeRecord, decodeSerial, downloadSum, localTime } from './decode.ts';
import { normalizeRecord } from './normalize.ts';

describe('TRUE Metrix payloads (PROTOCOL.md §3–4)', () => {
  it('decodes the notes\' example records (PROTOCOL.md §5)', () => {
    const one = decodeRecord('g5320C2E606800');
    expect(one).toMatchObject({ ok: true, record: { body: '320C2E606800', value: 104, control: false, time: { local: '2024-03-05T07:42:00' } } });
    const two = decodeRecord('g5320B1AE07800');
    expect(two).toMatchObject({ ok: true, record: { value: 120, time: { local: '2023-03-05T04:30:00' } } });
    expect(downloadSum(['320C2E606800', '320B1AE07800'])).toBe(0x0510);
    expect(decodeDownloadCheck('xN0510')).toEqual({ extra: 'N', sum: 0x0510 });
    expect(decodeDownloadCheck('x0510')).toBeUndefined();
  });

  it('reads character 7 as a hex digit: value bits 10..8 from its low 3 bits, the high bit kept apart', () => {
    const r = decodeRecord('g5320C2E6C6800');
    expect(r).toMatchObject({ ok: true, record: { value: 0x468, opaque: { char7HighBit: 1, char10: '0', tail: '' } } });
  });

  it('control when character 11 is not 0; the unknown characters are kept as sent', () => {
    const r = decodeRecord('g5320C2E60680A7F');
    expect(r).toMatchObject({ ok: true, record: { control: true, opaque: { char10: '0', tail: '7F' } } });
    if (!r.ok) return;
    const n = normalizeRecord(r.record);
    expect(n.kind).toBe('control');
    expect(n.flags).toEqual(['control-solution']);
    expect(n.note).toBe('TRUE Metrix record g5320C2E60680A7F; not decoded: character 7 high bit 0, character 10 "0", characters 12+ "7F"');
  });

  it('HI above 600 and LO below 20 mg/dL; the bounds themselves are plain values', () => {
    const value = (v: number): string => `g5320C2E6${v.toString(16).toUpperCase().padStart(3, '0')}00`;
    const at = (v: number) => {
      const r = decodeRecord(value(v));
      if (!r.ok) throw new Error(r.reason);
      return normalizeRecord(r.record);
    };
    expect(at(601).observations[0]).toMatchObject({ value: { value: 600, comparator: '>' }, interpretation: 'HH' });
    expect(at(601).flags).toEqual(['out-of-range:high']);
    expect(at(19).observations[0]).toMatchObject({ value: { value: 20, comparator: '<' }, interpretation: 'LL' });
    expect(at(600).observations[0]?.value).toEqual({ kind: 'quantity', value: 600, unit: 'mg/dL' });
    expect(at(20).observations[0]?.value).toEqual({ kind: 'quantity', value: 20, unit: 'mg/dL' });
  });

  it('refuses short and non-hex records; keeps a record whose date is no date without a time', () => {
    expect(decodeRecord('g5320C2E6068')).toMatchObject({ ok: false });
    expect(decodeRecord('g5320C2E6068G0')).toMatchObject({ ok: false });
    expect(decodeRecord('i320C2E606800')).toMatchObject({ ok: false });
    const noDate = decodeRecord('g5D20C2E606800'); // month 13
    expect(noDate).toMatchObject({ ok: true });
    if (noDate.ok) expect(noDate.record.time.local).toBeUndefined();
  });

  it('model, serial, firmware and clock replies', () => {
    expect(decodeModel('iMR2')).toEqual({ code: 'MR2', name: 'TRUE METRIX' });
    expect(decodeModel('iRC2')?.name).toBe('TRUE METRIX GO');
    expect(decodeModel('iBLU')?.name).toBe('TRUE METRIX AIR');
    expect(decodeModel('iXY9')?.name).toBe('TRUE METRIX (model code XY9)');
    expect(decodeModel('z1')).toBeUndefined();
    expect(decodeSerial('z1ABC12345')).toBe('ABC12345');
    expect(decodeSerial('z1')).toBeUndefined();
    expect(decodeFirmware('v1.10')).toBe('1.10');
    expect(decodeClock('t003014050324')).toEqual({ text: '003014050324', local: '2024-03-05T14:30:00' });
    expect(decodeClock('t000000000000')).toEqual({ text: '000000000000' });
    expect(decodeClock('t0030140503')).toBeUndefined();
    expect(localTime(2024, 2, 29, 0, 0, 0)).toBe('2024-02-29T00:00:00');
    expect(localTime(2023, 2, 29, 0, 0, 0)).toBeUndefined();
  });
});
