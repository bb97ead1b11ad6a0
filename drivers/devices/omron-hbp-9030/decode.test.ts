import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeLine } from './decode.ts';
import { createLineFramer } from './protocol.ts';

const decode = (text: string): ReturnType<typeof decodeLine> => decodeLine(fromLatin1(text));
const VECTOR = '2026,07,11,09,05,12345678901234567890,0,120,080,072,0';

describe('format 5 (PROTOCOL.md §2.1)', () => {
  it('decodes the published test vector: 2026-07-11 09:05, ID, 120/80, pulse 72, no movement', () => {
    expect(VECTOR).toHaveLength(53);
    expect(decode(VECTOR)).toEqual({
      ok: true,
      record: { format: 'format-5', deviceTime: '2026-07-11T09:05', patientId: '12345678901234567890', errorCode: 0, systolic: 120, diastolic: 80, pulse: 72, bodyMovement: false },
    });
  });

  it('reads the body-movement flag and trims a blank, padded patient ID', () => {
    const r = decode('2026,07,11,09,06,                    ,0,138,088,081,1');
    expect(r).toMatchObject({ ok: true, record: { patientId: '', bodyMovement: true, systolic: 138 } });
  });

  it('decodes an error line (blank values) as a record without values', () => {
    const r = decode('2026,07,11,09,07,12345678901234567890,2,   ,   ,   ,0');
    expect(r).toEqual({ ok: true, record: { format: 'format-5', deviceTime: '2026-07-11T09:07', patientId: '12345678901234567890', errorCode: 2, bodyMovement: false } });
  });

  it('does not enforce widths: unpadded values and a short ID still read', () => {
    expect(decode('2026,7,1,9,5,P1,0,98,61,55,0')).toMatchObject({ ok: true, record: { deviceTime: '2026-07-01T09:05', patientId: 'P1', systolic: 98, diastolic: 61, pulse: 55 } });
  });

  it.each([
    ['10 fields', '2026,07,11,09,05,12345678901234567890,0,120,080,072', /11 fields/],
    ['a letter in a value', '2026,07,11,09,05,ID,0,12O,080,072,0', /not all numbers/],
    ['30 February', '2026,02,30,09,05,ID,0,120,080,072,0', /real one/],
    ['hour 24', '2026,07,11,24,05,ID,0,120,080,072,0', /real one/],
    ['an ID of 21 characters', '2026,07,11,09,05,123456789012345678901,0,120,080,072,0', /patient ID/],
    ['movement flag 2', '2026,07,11,09,05,ID,0,120,080,072,2', /body-movement/],
    ['blank values without an error', '2026,07,11,09,05,ID,0,   ,   ,   ,0', /no values/],
    ['some values blank', '2026,07,11,09,05,ID,0,120,   ,072,0', /not all numbers/],
    ['a four-digit value', '2026,07,11,09,05,ID,0,1200,080,072,0', /not all numbers/],
    ['a control byte', '2026,07,11,09,05,ID\x07,0,120,080,072,0', /printable/],
  ])('rejects %s', (_name, line, reason) => {
    const r = decode(line);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('HBP-9020 bp line (PROTOCOL.md §2.2)', () => {
  it('decodes the quoted capture: SYS 140, MAP 98, DIA 77, PR 68, status kept', () => {
    expect(decode('bp,99999999999999999999,2023/04/27,15:06,140,098,077,068,3')).toEqual({
      ok: true,
      record: { format: 'hbp-9020', deviceTime: '2023-04-27T15:06', patientId: '99999999999999999999', errorCode: 0, systolic: 140, mean: 98, diastolic: 77, pulse: 68, bodyMovement: false, status: '3' },
    });
  });

  it('is detected by its first field, not by its field count', () => {
    expect(decode('bp,ID,2023/04/27,15:06,140,098,077,068,3,9')).toEqual({ ok: false, reason: 'a bp line has 9 fields, this one 10' });
    expect(decode('bp,ID,2023/13/27,15:06,140,098,077,068,3')).toMatchObject({ ok: false, reason: /real one/ });
    expect(decode('bp,ID,2023/04/27,15:06,140,   ,077,068,3')).toMatchObject({ ok: false });
  });
});

describe('line framing', () => {
  it('splits CR LF lines, drops empty ones and skips over-long noise', () => {
    const framer = createLineFramer();
    const out = framer.push(fromLatin1(`${VECTOR}\r\n\r\n${'x'.repeat(300)}\r\n${VECTOR}\r`));
    expect(out.frames).toHaveLength(2);
    expect(out.problems.map((p) => p.code)).toEqual(['PROTOCOL_GARBAGE']);
  });
});
