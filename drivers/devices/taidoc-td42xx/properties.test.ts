import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeDataReports } from '../../families/cp2110/index.ts';
import { decodeProbe } from './decode-probe.ts';
import { CMD, FROM_METER, TaidocFramer, encodePacket } from './protocol.ts';

const packetArb = fc.tuple(fc.constantFrom(CMD.model, CMD.readClock, CMD.recordCount, CMD.recordTime, CMD.recordValue), fc.array(fc.nat({ max: 255 }), { minLength: 4, maxLength: 4 })).map(([cmd, m]) => encodePacket(cmd, m, FROM_METER));

describe('taidoc-td42xx properties', () => {
  it('the framer finds the same packets however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(packetArb, { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 30 }), (packets, cuts) => {
        const stream = Uint8Array.from(packets.flatMap((p) => Array.from(p)));
        const framer = new TaidocFramer();
        const found: number[][] = [];
        let at = 0;
        for (let i = 0; at < stream.length; i++) {
          const n = cuts[i % cuts.length] ?? 1;
          for (const f of framer.push(stream.subarray(at, at + n)).frames) if (f.kind === 'packet') found.push(Array.from(f.packet.raw));
          at += n;
        }
        expect(found).toEqual(packets.map((p) => Array.from(p)));
      }),
    );
  });

  it('garbage between packets is skipped and reported; every packet still found', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.uint8Array({ maxLength: 6 }).map((g) => g.map((b) => (b === 0x51 ? 0x50 : b))), packetArb), { minLength: 1, maxLength: 8 }), (parts) => {
        const stream = Uint8Array.from(parts.flatMap(([g, p]) => [...g, ...p]));
        const out = new TaidocFramer().push(stream);
        expect(out.frames.map((f) => (f.kind === 'packet' ? Array.from(f.packet.raw) : []))).toEqual(parts.map(([, p]) => Array.from(p)));
        expect(out.problems.length).toBe(parts.filter(([g]) => g.length > 0).length);
      }),
    );
  });

  it('decodeProbe never throws on any reports, and counts the value replies of clean ones', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 70 }), { maxLength: 20 }), (reports) => void decodeProbe(reports)));
    const values = [0, 1, 2].map((i) => encodePacket(CMD.recordValue, [100 + i, 0, 0, 0x40], FROM_METER));
    expect(decodeProbe(values.flatMap((p) => encodeDataReports(p)))).toBe(3);
  });
});
