import { describe, expect, it } from 'vitest';
import {
  decodeLibreRecord,
  decodeNeoRecord,
  meterClock,
  parseDbRecordCount,
  parseMeterDate,
  parseUnitSetting,
  singleLine,
  type LibreRecord,
  type NeoRecord,
} from './decode.ts';

function neo(line: string): NeoRecord {
  const d = decodeNeoRecord(line);
  if (!d.ok) throw new Error(d.reason);
  return d.record;
}
function libre(line: string): LibreRecord {
  const d = decodeLibreRecord(line);
  if (!d.ok) throw new Error(d.reason);
  return d.record;
}

/** A Libre type-2 record (PROTOCOL.md §6), idx 0–34, with the fields given by index. */
function libreLine(set: Record<number, string | number> = {}, extra: (string | number)[] = []): string {
  const f: (string | number)[] = [1234, 2, 6, 9, 24, 14, 5, 33, 1, 0, 0, 0, 117, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '"a"', '"b, c"', '""', '""', '""', '""'];
  for (const [i, v] of Object.entries(set)) f[Number(i)] = v;
  return [...f, ...extra].join(',');
}

describe('Neo $result? records: the PROTOCOL.md §3 example lines', () => {
  it('7,224: glucose 81 mg/dL at 2015-03-21 16:45, a patient sample (field 11 = 1)', () => {
    expect(neo('7,224,3,21,15,16,45,0,81,0,1,0,0,0,0,0,0,0,0')).toEqual({
      kind: 'glucose', id: '224', time: { local: '2015-03-21T16:45:00', text: '3/21/15 16:45' }, value: { kind: 'number', value: 81 }, control: false,
    });
  });

  it('9,225: β-ketone raw 9 at 2015-03-21 17:02, a patient sample (field 10 = 1)', () => {
    expect(neo('9,225,3,21,15,17,2,0,9,1')).toMatchObject({ kind: 'ketone', id: '225', time: { local: '2015-03-21T17:02:00' }, value: { kind: 'number', value: 9 }, control: false });
  });

  it('7,226: glucose HI at 2015-03-22 07:58', () => {
    expect(neo('7,226,3,22,15,7,58,0,HI,0,1,0,0,0,0,0,0,0,0')).toMatchObject({ kind: 'glucose', time: { local: '2015-03-22T07:58:00' }, value: { kind: 'high' } });
  });
});

describe('Neo control-solution flags ([source]: Tidepool only) — both readings', () => {
  it('glucose: field 11 = 0 is control solution, any other number a patient sample', () => {
    expect(neo('7,1,1,2,24,8,0,0,120,0,0,0,0,0,0,0,0,0,0')).toMatchObject({ control: true });
    expect(neo('7,1,1,2,24,8,0,0,120,0,1,0,0,0,0,0,0,0,0')).toMatchObject({ control: false });
    expect(neo('7,1,1,2,24,8,0,0,120,0,2,0,0,0,0,0,0,0,0')).toMatchObject({ control: false });
  });

  it('ketone: field 10 = 0 is control solution; 10 fields or 11 (glucometerutils hints at a trailing one)', () => {
    expect(neo('9,2,1,2,24,8,0,0,27,0')).toMatchObject({ kind: 'ketone', control: true });
    expect(neo('9,2,1,2,24,8,0,0,27,1')).toMatchObject({ kind: 'ketone', control: false });
    expect(neo('9,2,1,2,24,8,0,0,27,1,0')).toMatchObject({ kind: 'ketone', control: false, value: { kind: 'number', value: 27 } });
    expect(neo('9,2,1,2,24,8,0,0,27,0,1')).toMatchObject({ kind: 'ketone', control: true });
  });
});

describe('Neo values and other record types', () => {
  it('reads LO, and keeps an unknown value text as printed', () => {
    expect(neo('7,3,1,2,24,8,0,0,LO,0,1,0,0,0,0,0,0,0,0')).toMatchObject({ value: { kind: 'low' } });
    expect(neo('7,3,1,2,24,8,0,0,E-4,0,1,0,0,0,0,0,0,0,0')).toMatchObject({ value: { kind: 'text', text: 'E-4' } });
    expect(neo('9,3,1,2,24,8,0,0,HI,1')).toMatchObject({ kind: 'ketone', value: { kind: 'high' } });
  });

  it('types 6 (time change), 10 (insulin) and 11 (basal titration) are events, not measurements', () => {
    expect(neo('6,230,3,23,15,9,0,1,3,23,15,8,0')).toEqual({ kind: 'event', id: '230', recordType: '6', label: 'time change' });
    expect(neo('10,231,3,23,15,9,5,0,1,4,0,0,0')).toMatchObject({ kind: 'event', recordType: '10', label: 'insulin entered on the meter' });
    expect(neo('11,232,3,23,15,9,5,0,0,0')).toMatchObject({ kind: 'event', recordType: '11' });
  });

  it('gives no real time for impossible dates, but keeps the record', () => {
    expect(neo('7,4,13,2,24,8,0,0,99,0,1,0,0,0,0,0,0,0,0')).toMatchObject({ time: { local: undefined, text: '13/2/24 8:00' } });
    expect(neo('7,4,255,255,255,8,0,0,99,0,1,0,0,0,0,0,0,0,0')).toMatchObject({ time: { local: undefined, text: '255/255/255 8:00' } });
    expect(neo('7,4,2,29,24,23,59,0,99,0,1,0,0,0,0,0,0,0,0')).toMatchObject({ time: { local: '2024-02-29T23:59:00' } });
  });

  it.each([
    ['', 'numeric type'],
    ['x,1,2', 'numeric type'],
    ['8,1,1,2,24,8,0,0,99', 'not known'],
    ['6,1', 'not numbers'],
    ['7,1,1,2,24,8,0,0,99,0', 'at least 11 fields'],
    ['9,1,1,2,24,8,0,0,9', 'at least 10 fields'],
    ['7,1,a,2,24,8,0,0,99,0,1', 'not numbers'],
    ['7,1,1,2,24,8,0,0,99,0,x', 'control-solution field'],
  ])('rejects %j with a reason (%s)', (line, reason) => {
    const d = decodeNeoRecord(line);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toContain(reason);
  });
});

describe('meter replies', () => {
  it('reads the example clock: 3,21,15 and 16,45 → 2015-03-21T16:45:00', () => {
    expect(meterClock('3,21,15\r\n', '16,45\r\n')).toEqual({ time: { local: '2015-03-21T16:45:00', text: '3/21/15 16:45' }, lost: false });
    expect(meterClock('12,31,99\r\n', '23,59\r\n')?.time.local).toBe('2099-12-31T23:59:00');
  });

  it('recognises a lost clock (255,255,255) and refuses malformed clock replies', () => {
    expect(parseMeterDate('255,255,255\r\n')).toMatchObject({ lost: true });
    expect(meterClock('255,255,255\r\n', '255,255\r\n')).toMatchObject({ time: { local: undefined }, lost: true });
    expect(meterClock('3,21,15\r\n', '16:45\r\n')).toBeUndefined();
    expect(meterClock('3/21/15\r\n', '16,45\r\n')).toBeUndefined();
    expect(meterClock('3,21,15', '16,45\r\n')).toBeUndefined();
  });

  it('reads $dbrnum? in both forms seen ([inferred]): DBRECORDS = n and DB Record Number = n', () => {
    expect(parseDbRecordCount('DBRECORDS = 8644\r\n')).toBe(8644);
    expect(parseDbRecordCount('DB Record Number = 226988\r\n')).toBe(226988);
    expect(parseDbRecordCount('DBRECORDS=1\r\n')).toBeUndefined();
    expect(parseDbRecordCount('226988\r\n')).toBeUndefined();
  });

  it('reads the unit setting ($gunits? / $uom?): 1 mg/dL, 0 mmol/L, anything else unknown', () => {
    expect(parseUnitSetting('1\r\n')).toBe('mg/dL');
    expect(parseUnitSetting('0\r\n')).toBe('mmol/L');
    expect(parseUnitSetting('2\r\n')).toBeUndefined();
    expect(parseUnitSetting('1')).toBeUndefined();
    expect(singleLine('JGGA123-K1234\r\n')).toBe('JGGA123-K1234');
    expect(singleLine('a\r\nb\r\n')).toBeUndefined();
  });
});

describe('Libre $arresult? records (0-based indexes, PROTOCOL.md §6)', () => {
  it('reads a strip glucose reading with its time to the second', () => {
    expect(libre(libreLine())).toEqual({
      kind: 'reading', id: '1234', time: { local: '2024-06-09T14:05:33', text: '6/9/24 14:05' }, readingType: 0, value: 117, trend: 0,
      sport: false, medication: false, rapidInsulin: false, longInsulin: false, food: false, comments: [], errors: 0,
    });
  });

  it('reads the reading type, trend, flags, and the custom comments whose bits are set', () => {
    const r = libre(libreLine({ 9: 2, 14: 5, 15: 1, 16: 1, 18: 1, 19: 0b11, 25: 1, 26: 40 }));
    expect(r).toMatchObject({ readingType: 2, trend: 5, sport: true, medication: true, longInsulin: true, food: true, comments: ['a', 'b, c'] });
    expect(libre(libreLine({ 19: 0b100 }))).toMatchObject({ comments: [] }); // bit set on an empty comment
  });

  it('needs idx 43 when the rapid-acting flag is set (the longer record)', () => {
    expect(libre(libreLine({ 17: 1 }, [7, 6, 9, 24, 14, 5, 33, 1, 8]))).toMatchObject({ rapidInsulin: true });
    expect(decodeLibreRecord(libreLine({ 17: 1 }))).toMatchObject({ ok: false });
  });

  it('keeps the error bitfield (0x8000: invalid reading)', () => {
    expect(libre(libreLine({ 28: 32768 }))).toMatchObject({ errors: 0x8000 });
  });

  it('type 5 is a clock change, not a reading; other types and short records are refused', () => {
    expect(libre('1200,5,1,15,26,9,0,0,0,1,15,26,7,0,0,0,0,0,0,0')).toEqual({ kind: 'event', id: '1200', recordType: '5', label: 'time change' });
    expect(decodeLibreRecord('1200,3,1,15,26,9,0,0')).toMatchObject({ ok: false });
    expect(decodeLibreRecord('1200,5,1,15,26,9,0,0')).toMatchObject({ ok: false });
    expect(decodeLibreRecord('1200,2,1,15,26,9,0,0,1,0,0,0,99')).toMatchObject({ ok: false });
    expect(decodeLibreRecord(libreLine({ 12: 'HI' }))).toMatchObject({ ok: false });
    expect(decodeLibreRecord('garbage')).toMatchObject({ ok: false });
  });
});
