import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeLine } from './decode.ts';
import { deviceTimeOf, normalizeWeighing } from './normalize.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('detecto-solo lines', () => {
  it('the manual\'s example, its quotes in UTF-8, Windows-1252 or straight, all decode alike', () => {
    const lines = [utf8('12:00,08/07/15,21.5,5’03.0”,132.3lb'), fromLatin1('12:00,08/07/15,21.5,5\u009203.0\u0094,132.3lb'), fromLatin1('12:00,08/07/15,21.5,5\'03.0",132.3lb'), fromLatin1("12:00,08/07/15,21.5,5'03.0'',132.3lb"), utf8('12:00,08/07/15,21.5,5′03.0″,132.3lb')];
    for (const line of lines) {
      const d = decodeLine(line);
      expect(d.ok).toBe(true);
      if (!d.ok) continue;
      expect(d.record).toMatchObject({ time: '12:00', date: '08/07/15', bmi: { value: 21.5 }, height: { feet: 5, inches: 3 }, weight: { value: 132.3, unit: 'lb' } });
      const w = normalizeWeighing(d.record, 'MDY');
      expect(w.ok && w.observations.map((o) => o.value)).toEqual([
        { kind: 'quantity', value: 132.3, unit: '[lb_av]', decimals: 1 },
        { kind: 'quantity', value: 63, unit: '[in_i]', decimals: 1 },
        { kind: 'quantity', value: 21.5, unit: 'kg/m2', decimals: 1 },
      ]);
      expect(w.ok && w.deviceTime).toBe('2015-08-07T12:00:00');
    }
  });

  it('blank BMI and height leave only the weight; metric height in cm', () => {
    const a = decodeLine(fromLatin1('09:41,06/02/26,,,150.2lb'));
    expect(a.ok && normalizeWeighing(a.record, 'MDY')).toMatchObject({ ok: true, observations: [{ code: '29463-7' }] });
    const b = decodeLine(fromLatin1('09:41,06/02/26,24.1,172.0cm,71.3kg'));
    expect(b.ok && normalizeWeighing(b.record, 'MDY')).toMatchObject({ ok: true, observations: [{ code: '29463-7', value: { unit: 'kg' } }, { code: '8302-2', value: { value: 172, unit: 'cm' } }, { code: '39156-5' }] });
  });

  it('a zero or negative weight is not a reading', () => {
    for (const w of ['0.0lb', '-0.4lb', '0.0kg']) {
      const d = decodeLine(fromLatin1(`09:41,06/02/26,,,${w}`));
      expect(d.ok && normalizeWeighing(d.record, 'MDY').ok).toBe(false);
    }
  });

  it('refuses what is not a print, with the reason', () => {
    for (const [line, reason] of [
      ['12:00,08/07/15,21.5,132.3lb', /4 fields/],
      ['12:00,08/07/15,21.5,5\'03.0",132.3', /weight/],
      ['12:00,08/07/15,21.5,5\'13.0",132.3lb', /height/],
      ['12:00,08/07/15,abc,5\'03.0",132.3lb', /BMI/],
      ['noon,08/07/15,21.5,5\'03.0",132.3lb', /time/],
    ] as const) {
      const d = decodeLine(fromLatin1(line));
      expect(d.ok).toBe(false);
      if (!d.ok) expect(d.reason).toMatch(reason);
    }
  });

  it('the date order option; an impossible date gives no device time', () => {
    const d = decodeLine(fromLatin1('12:00,08/07/15,,,132.3lb'));
    if (!d.ok) throw new Error('no decode');
    expect(deviceTimeOf(d.record, 'DMY')).toBe('2015-07-08T12:00:00');
    const bad = decodeLine(fromLatin1('25:00,13/45/15,,,132.3lb'));
    if (!bad.ok) throw new Error('no decode');
    expect(deviceTimeOf(bad.record, 'MDY')).toBeUndefined();
  });
});
