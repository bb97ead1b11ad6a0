import { describe, expect, it } from 'vitest';
import { fromLatin1, latin1 } from '../../kit/index.ts';
import { decodePacket } from './decode.ts';
import { normalizePacket } from './normalize.ts';
import { createPacketFramer } from './protocol.ts';
import { traceAnnotator } from './trace.ts';

const pkt = (fields: string): Uint8Array => fromLatin1(`\x1bR${fields.replace(/\|/g, '\x1b')}\x1bE`);
const obs = (fields: string): unknown => {
  const d = decodePacket(pkt(fields));
  if (!d.ok) return d.reason;
  const w = normalizePacket(d.packet);
  return w.ok ? w.observations.map((o) => (o.value?.kind === 'quantity' ? [o.code, o.value.value, o.value.unit, o.value.decimals] : o.code)) : w.reason;
};

describe('healthometer-professional decode and normalize', () => {
  it('the document example: imperial weight, height and BMI as sent', () => {
    expect(obs('|I1234567890|W184.5|H84.0|B24.1|T0.0|Nc')).toEqual([
      ['29463-7', 184.5, '[lb_av]', 1],
      ['8302-2', 84, '[in_i]', 1],
      ['39156-5', 24.1, 'kg/m2', 1],
    ]);
  });

  it('every model number format keeps its decimals; metric units from Nm', () => {
    expect(obs('|W184.50|Nc')).toEqual([['29463-7', 184.5, '[lb_av]', 2]]);
    expect(obs('|W35.500|Nc')).toEqual([['29463-7', 35.5, '[lb_av]', 3]]);
    expect(obs('|I1234567890|W200.00|H180.00|B61.7|Nm')).toEqual([
      ['29463-7', 200, 'kg', 2],
      ['8302-2', 180, 'cm', 2],
      ['39156-5', 61.7, 'kg/m2', 1],
    ]);
    expect(obs('|W 71.3 |NM')).toEqual([['29463-7', 71.3, 'kg', 1]]);
  });

  it('zero height and BMI are left out; a zero weight is nothing on the scale', () => {
    expect(obs('|W90.0|H0.0|B0.0|Nc')).toEqual([['29463-7', 90, '[lb_av]', 1]]);
    expect(obs('|W0.0|Nc')).toBe('weight 0.0 lb (nothing on the scale)');
    expect(obs('|W-0.4|Nm')).toBe('weight -0.4 kg (nothing on the scale)');
  });

  it('refuses what it cannot read without guessing', () => {
    expect(obs('|W88.8')).toMatch(/units are not stated/);
    expect(obs('|W88.8|Nx')).toMatch(/neither c/);
    expect(obs('|H70.0|Nc')).toMatch(/no weight/);
    expect(obs('|W88.8|W88.9|Nc')).toMatch(/sent twice/);
    expect(obs("|W88.8|H5'10|Nc")).toMatch(/H "5'10" is not a number/);
    expect(decodePacket(fromLatin1('\x1bW1\x1bNc\x1bE'))).toMatchObject({ ok: false });
    // An unknown letter (a later model's field) is skipped.
    expect(obs('|W88.8|Q12|Nc')).toEqual([['29463-7', 88.8, '[lb_av]', 1]]);
  });

  it('the framer anchors on the last ESC R: a cut packet is reported, the next one decodes', () => {
    const framer = createPacketFramer();
    const out = framer.push(fromLatin1('noise\x1bR\x1bW150.2\x1bN\x1bR\x1bW150.2\x1bNc\x1bE\x1bE'));
    expect(out.frames.map(latin1)).toEqual(['\x1bR\x1bW150.2\x1bNc\x1bE']);
    expect(out.problems.map((p) => p.code)).toEqual(['PROTOCOL_GARBAGE', 'PROTOCOL_GARBAGE']);
    const cut = createPacketFramer().push(fromLatin1('\x1bR\x1bW1\x1bR\x1bW2\x1bNc\x1bE'));
    expect(cut.problems.map((p) => p.code)).toEqual(['PROTOCOL_TRUNCATED']);
    expect(createPacketFramer().push(new Uint8Array(400).fill(0x41)).problems).toHaveLength(2);
    const tail = createPacketFramer();
    tail.push(fromLatin1('\x1bR\x1bW1'));
    expect(tail.flush().problems.map((p) => p.code)).toEqual(['PROTOCOL_TRUNCATED']);
  });

  it('trace masking overwrites the patient id, same length, and the packet still decodes the same', () => {
    const raw = pkt('|I12AB 67890|W184.5|Nc');
    const masked = traceAnnotator.maskStream?.('in', raw);
    expect(masked && latin1(masked)).toBe(latin1(pkt('|I00XXX00000|W184.5|Nc')));
    expect(masked?.length).toBe(raw.length);
    expect(masked && decodePacket(masked)).toEqual({ ok: true, packet: { units: 'imperial', weight: { value: 184.5, text: '184.5' }, patientId: '00XXX00000' } });
  });
});
