import { describe, expect, it } from 'vitest';
import { decodeClock, decodeHeader, decodeRecord, decodeResult, decodeSerial, decodeVersion } from './decode.ts';

describe('replies to DM@, DM?, DMF and DMT (PROTOCOL.md §3, §9)', () => {
  it('reads the serial number of Tidepool’s meter and the glucometerutils vector', () => {
    expect(decodeSerial('@ "GMF600DCY"')).toEqual({ ok: true, value: 'GMF600DCY' });
    expect(decodeSerial('@ "12345678O"')).toEqual({ ok: true, value: '12345678O' });
  });

  it('reads the software version', () => {
    expect(decodeVersion('?P02.00.00 30/08/06')).toEqual({ ok: true, value: 'P02.00.00 30/08/06' });
  });

  it('reads the meter clock with its three trailing spaces, year 20YY', () => {
    expect(decodeClock('F "SAT","03/21/15","16:47:02   "')).toEqual({ ok: true, value: { tag: 'F', weekday: 'SAT', deviceTime: '2015-03-21T16:47:02' } });
    expect(decodeClock('T "SAT","08/03/13","22:12:00   "')).toEqual({ ok: true, value: { tag: 'T', weekday: 'SAT', deviceTime: '2013-08-03T22:12:00' } });
    expect(decodeClock('T "SAT","03/21/15","16:50:00   "')).toMatchObject({ ok: true, value: { deviceTime: '2015-03-21T16:50:00' } });
  });

  it.each([
    ['@ GMF600DCY', 'serial without quotes'],
    ['@ ""', 'empty serial'],
    ['@\u0000"12345678O"', 'a 0x00 byte (which the checksum cannot see) in place of the space'],
    ['?', 'empty version'],
    ['F "SAT","21/03/15","16:47:02   "', 'day and month swapped (month 21)'],
    ['F "SAT","02/30/15","16:47:02   "', '30 February'],
    ['F "SAT","03/21/15","25:47:02   "', 'hour 25'],
    ['F "SAT","03/21/2015","16:47:02   "', 'four-digit year'],
    ['X "SAT","03/21/15","16:47:02   "', 'unknown tag'],
  ])('rejects %j (%s) without throwing', (text) => {
    const results = [decodeSerial(text), decodeVersion(text), decodeClock(text)];
    if (text.startsWith('@')) expect(results[0]?.ok).toBe(false);
    if (text.startsWith('?')) expect(results[1]?.ok).toBe(false);
    expect(results[2]?.ok).toBe(false);
  });
});

describe('dump header (PROTOCOL.md §6)', () => {
  it('reads Tidepool’s real header', () => {
    expect(decodeHeader('P 003,"GMF600DCY","MG/DL "')).toEqual({ ok: true, value: { count: 3, serial: 'GMF600DCY', displayUnit: 'mg/dL', unitText: 'MG/DL' } });
  });

  it('reads an mmol/L display unit, an empty meter, and keeps an unknown unit as text', () => {
    expect(decodeHeader('P 150,"SIM04711Y","MMOL/L"')).toMatchObject({ ok: true, value: { count: 150, displayUnit: 'mmol/L' } });
    expect(decodeHeader('P 000,"SIM04711Y","MG/DL "')).toMatchObject({ ok: true, value: { count: 0 } });
    expect(decodeHeader('P 001,"SIM04711Y","G/L   "')).toMatchObject({ ok: true, value: { displayUnit: 'unknown', unitText: 'G/L' } });
  });

  it.each(['P ,"GMF600DCY","MG/DL "', 'P 003,GMF600DCY,MG/DL', 'P "SAT","03/21/15","16:45:24   ","  081 ","N","03", 00', 'Q 003,"GMF600DCY","MG/DL "'])('rejects %j', (text) => {
    expect(decodeHeader(text).ok).toBe(false);
  });
});

describe('dump records (PROTOCOL.md §6, §9)', () => {
  it.each([
    ['P "SAT","03/21/15","16:45:24   ","  081 ","N","03", 00', '2015-03-21T16:45:24', 81, 'N', '03'],
    ['P "SAT","03/21/15","16:42:11   ","  105 ","B","02", 00', '2015-03-21T16:42:11', 105, 'B', '02'],
    ['P "SAT","03/21/15","16:39:46   ","  176 ","N","02", 00', '2015-03-21T16:39:46', 176, 'N', '02'],
  ])('reads Tidepool’s real record %j', (text, deviceTime, mgdl, meal, comment) => {
    expect(decodeRecord(text)).toEqual({
      ok: true,
      value: { weekday: 'SAT', deviceTime, resultText: `  ${String(mgdl).padStart(3, '0')} `, control: false, parityError: false, value: { kind: 'number', mgdl }, meal, comment },
    });
  });

  it('reads the synthetic control-solution record of PROTOCOL.md §9', () => {
    expect(decodeRecord('P "SAT","03/21/15","16:30:05   ","C 142 ","N","00", 00')).toMatchObject({
      ok: true,
      value: { deviceTime: '2015-03-21T16:30:05', control: true, parityError: false, value: { kind: 'number', mgdl: 142 }, meal: 'N', comment: '00' },
    });
  });

  it.each([
    ['P "SAT","03/21/15","16:45:24   ","  081 ","N","03",00', 'no space before the constant'],
    ['P "SAT","03/21/15","16:45:24","  081 ","N","03", 00', 'no trailing spaces in the time'],
  ])('is lenient where the layout may vary: %j (%s)', (text) => {
    expect(decodeRecord(text).ok).toBe(true);
  });

  it.each([
    ['P "SAT","13/21/15","16:45:24   ","  081 ","N","03", 00', 'month 13'],
    ['P "SAT","03/21/15","16:45:24   ","  081 ","N","03"', 'constant field missing'],
    ['P "SAT","03/21/15","16:45:24   ","","N","03", 00', 'empty result'],
    ['P "SAT","03/21/15","16:45:24   ","  081 ","NN","03", 00', 'two-letter meal flag'],
    ['P 003,"GMF600DCY","MG/DL "', 'a header'],
    ['', 'an empty line'],
  ])('rejects %j (%s) with a reason, without throwing', (text) => {
    const decoded = decodeRecord(text);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason.length).toBeGreaterThan(0);
  });
});

describe('result field 5 (PROTOCOL.md §6; HI/LO encoding [inferred])', () => {
  it.each([
    ['  081 ', false, false, { kind: 'number', mgdl: 81 }],
    ['C 142 ', true, false, { kind: 'number', mgdl: 142 }],
    ['  123?', false, true, { kind: 'number', mgdl: 123 }],
    ['C 099?', true, true, { kind: 'number', mgdl: 99 }],
    // Reading 1 of the undocumented HI/LO: a number beyond the range (Tidepool clamps these).
    ['  612 ', false, false, { kind: 'number', mgdl: 612 }],
    ['  012 ', false, false, { kind: 'number', mgdl: 12 }],
    // Reading 2: a word in the value field.
    ['  HI  ', false, false, { kind: 'word', limit: 'HI' }],
    [' HIGH ', false, false, { kind: 'word', limit: 'HI' }],
    ['  LO  ', false, false, { kind: 'word', limit: 'LO' }],
    ['LOW', false, false, { kind: 'word', limit: 'LO' }],
    ['C HI  ', true, false, { kind: 'word', limit: 'HI' }],
    // Anything else is kept as printed.
    ['  ---  ', false, false, { kind: 'unreadable' }],
    ['  E-5 ', false, false, { kind: 'unreadable' }],
  ])('%j → control %s, parity %s, %j', (field, control, parityError, value) => {
    expect(decodeResult(field)).toEqual({ control, parityError, value });
  });
});
