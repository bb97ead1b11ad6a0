import { describe, expect, it } from 'vitest';
import { decodeFrame } from './decode.ts';
import { Cms50Framer } from './format-detect.ts';
import { normalize } from './normalize.ts';
import { COMMAND, encodeCommand, encodePacket, LegacyFramer, restoreData, V7Framer } from './protocol.ts';

const bytes = (hex: string): Uint8Array => Uint8Array.from(hex.split(' ').map((h) => parseInt(h, 16)));
/** The V7.0 real-time example of PROTOCOL.md §3.4. */
const V7_EXAMPLE = bytes('01 A0 85 C0 85 C8 E1 B0 80');
/** The older-firmware example of PROTOCOL.md §4. */
const LEGACY_EXAMPLE = bytes('C5 40 05 48 61');

describe('contec-cms50 protocol (PROTOCOL.md §3–4)', () => {
  it('encodes the commands as published', () => {
    expect(encodeCommand(COMMAND.start)).toEqual(bytes('7D 81 A1 80 80 80 80 80 80'));
    expect(encodeCommand(COMMAND.keepAlive)).toEqual(bytes('7D 81 AF 80 80 80 80 80 80'));
    expect(encodeCommand(COMMAND.stop)).toEqual(bytes('7D 81 A2 80 80 80 80 80 80'));
  });

  it('restores the high bits and encodes back to the same packet', () => {
    expect(Array.from(restoreData(V7_EXAMPLE))).toEqual([0x05, 0x40, 0x05, 0x48, 0x61, 0xb0, 0x00]);
    expect(encodePacket(0x01, [0x05, 0x40, 0x05, 0x48, 0x61, 0xb0, 0x00])).toEqual(V7_EXAMPLE);
  });

  it('V7 framer: whole packets, a cut packet reported, stray bytes reported', () => {
    const framer = new V7Framer();
    const out = framer.push(Uint8Array.of(0xff, 0xfe, ...V7_EXAMPLE, 0x01, 0xa0, 0x85, ...V7_EXAMPLE));
    expect(out.frames).toEqual([V7_EXAMPLE, V7_EXAMPLE]);
    expect(out.problems.map((p) => p.code)).toEqual(['PROTOCOL_GARBAGE', 'PROTOCOL_TRUNCATED']);
  });

  it('legacy framer: 5-byte frames from the sync byte, a short one reported', () => {
    const framer = new LegacyFramer();
    const out = framer.push(Uint8Array.of(0x05, ...LEGACY_EXAMPLE, 0xc5, 0x40, ...LEGACY_EXAMPLE));
    expect(out.frames).toEqual([LEGACY_EXAMPLE, LEGACY_EXAMPLE]);
    expect(out.problems.map((p) => p.code)).toEqual(['PROTOCOL_GARBAGE', 'PROTOCOL_TRUNCATED']);
  });

  it('auto framer: tells each firmware from three frames, and keeps what came before', () => {
    const v7 = new Cms50Framer('auto');
    const a = v7.push(Uint8Array.of(...V7_EXAMPLE, ...V7_EXAMPLE, ...V7_EXAMPLE, ...V7_EXAMPLE));
    expect([v7.format, a.frames.length, a.frames[0]?.format]).toEqual(['v7', 4, 'v7']);
    const legacy = new Cms50Framer('auto');
    const b = legacy.push(Uint8Array.of(...LEGACY_EXAMPLE, ...LEGACY_EXAMPLE, ...LEGACY_EXAMPLE));
    expect([legacy.format, b.frames.length, b.frames[0]?.format]).toEqual(['legacy', 3, 'legacy']);
    const undecided = new Cms50Framer('auto');
    expect(undecided.push(Uint8Array.of(...LEGACY_EXAMPLE, ...LEGACY_EXAMPLE)).frames).toEqual([]);
    expect(undecided.format).toBeUndefined();
  });
});

describe('contec-cms50 decode and normalize', () => {
  it('V7.0 example: strength 5, pleth 64, bar 5, PR 72, SpO2 97, PI 1.76', () => {
    const r = decodeFrame({ format: 'v7', bytes: V7_EXAMPLE });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.sample).toMatchObject({ strength: 5, pleth: 64, bar: 5, pulse: 72, spo2: 97, pi: 176, probeError: false, searching: false });
    const n = normalize(r.sample);
    expect(n.valid).toBe(true);
    expect(n.observations.map((o) => [o.code, o.value])).toEqual([
      ['59408-5', { kind: 'quantity', value: 97, unit: '%' }],
      ['8867-4', { kind: 'quantity', value: 72, unit: '/min' }],
      [undefined, { kind: 'unmapped', label: 'PI', text: '1.76%' }],
    ]);
  });

  it('legacy example: strength 5 with beep, pleth 64, PR 72, SpO2 97', () => {
    const r = decodeFrame({ format: 'legacy', bytes: LEGACY_EXAMPLE });
    expect(r.ok && r.sample).toMatchObject({ strength: 5, beep: true, pleth: 64, pulse: 72, spo2: 97 });
    const high = decodeFrame({ format: 'legacy', bytes: bytes('85 40 45 02 61') });
    expect(high.ok && high.sample.pulse).toBe(130);
  });

  it('invalid markers, zeros, probe error and finger out never make a valid sample', () => {
    const v7 = (data: number[]) => {
      const r = decodeFrame({ format: 'v7', bytes: encodePacket(1, data) });
      if (!r.ok) throw new Error('not decoded');
      return normalize(r.sample);
    };
    expect(v7([5, 64, 5, 0xff, 97, 0xff, 0xff]).valid).toBe(false);
    expect(v7([5, 64, 5, 72, 0x7f, 0xff, 0xff]).valid).toBe(false);
    expect(v7([5, 64, 5, 0, 0, 0xff, 0xff]).valid).toBe(false);
    expect(v7([5, 64, 5, 72, 101, 0xff, 0xff]).valid).toBe(false);
    const probe = v7([0x85, 64, 5, 72, 97, 0xff, 0xff]);
    expect([probe.valid, probe.flags, probe.observations]).toEqual([false, ['probe-error'], []]);
    expect(v7([0x25, 64, 5, 72, 88, 0xff, 0xff])).toMatchObject({ valid: true, flags: ['spo2-low'] });
    const out = decodeFrame({ format: 'legacy', bytes: bytes('90 00 20 00 00') });
    expect(out.ok && normalize(out.sample)).toMatchObject({ valid: false, flags: ['searching', 'finger-out'] });
  });

  it('other V7.0 packet types are ignored, odd lengths are garbage', () => {
    expect(decodeFrame({ format: 'v7', bytes: bytes('0B 80 80') })).toEqual({ ok: false, ignored: true, type: 0x0b });
    expect(decodeFrame({ format: 'legacy', bytes: bytes('C5 40') })).toMatchObject({ ok: false, ignored: false, code: 'PROTOCOL_GARBAGE' });
  });
});
