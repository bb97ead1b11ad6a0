import { describe, expect, it } from 'vitest';
import { decodeInsulinxRecord } from './decode.ts';
import { normalizeInsulinx } from './normalize.ts';
import { NOTES_EXAMPLE_RECORDS } from './simulated-device.ts';

describe('InsuLinx $result? records (PROTOCOL.md §3)', () => {
  it('decodes the notes example: type 0, id, M/D/YY H:M, value in field 14', () => {
    const [a, b] = NOTES_EXAMPLE_RECORDS.map(decodeInsulinxRecord);
    expect(a).toEqual({ ok: true, record: { kind: 'glucose', id: '123', time: { local: '2024-03-05T07:42:00', text: '3/5/24 7:42' }, value: { kind: 'number', value: 104 } } });
    expect(b).toMatchObject({ ok: true, record: { id: '122', time: { local: '2024-03-04T21:05:00' }, value: { value: 165 } } });
  });

  it('normalizes a number to mg/dL glucose and keeps anything else unmapped, as printed', () => {
    const n = decodeInsulinxRecord('0,5,1,2,25,3,4,0,0,0,0,0,0,104,0,0');
    if (!n.ok || n.record.kind !== 'glucose') throw new Error('not glucose');
    expect(normalizeInsulinx(n.record).observations[0]).toMatchObject({ code: '41653-7', value: { kind: 'quantity', value: 104, unit: 'mg/dL' } });
    const hi = decodeInsulinxRecord('0,6,1,2,25,3,4,0,0,0,0,0,0,HI,0,0');
    if (!hi.ok || hi.record.kind !== 'glucose') throw new Error('not glucose');
    expect(normalizeInsulinx(hi.record).observations[0]?.value).toEqual({ kind: 'unmapped', label: 'glucose', text: 'HI' });
  });

  it('keeps other record types apart, refuses short or non-numeric glucose records, and a non-date stays undated', () => {
    expect(decodeInsulinxRecord('2,7,1,2,25,3,4,0,0,0,0,0,0,4,0,0')).toEqual({ ok: true, record: { kind: 'other', id: '7', recordType: '2' } });
    expect(decodeInsulinxRecord('0,7,1,2,25,3,4,0,0,0')).toMatchObject({ ok: false });
    expect(decodeInsulinxRecord('0,7,1,x,25,3,4,0,0,0,0,0,0,4,0,0')).toMatchObject({ ok: false });
    expect(decodeInsulinxRecord('A,7')).toMatchObject({ ok: false });
    expect(decodeInsulinxRecord('0,8,13,40,25,3,4,0,0,0,0,0,0,99,0,0')).toMatchObject({ ok: true, record: { time: { local: undefined } } });
  });
});
