import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { decodePacket } from './decode.ts';
import { normalizePacket } from './normalize.ts';
import { createPacketFramer } from './protocol.ts';

const packet = fc.record({
  weightHundredths: fc.integer({ min: 1, max: 99_999 }),
  places: fc.integer({ min: 0, max: 3 }),
  units: fc.constantFrom('c', 'm'),
  heightTenths: fc.option(fc.integer({ min: 1, max: 2_500 }), { nil: undefined }),
  bmiTenths: fc.option(fc.integer({ min: 100, max: 600 }), { nil: undefined }),
  id: fc.stringMatching(/^[0-9 ]{10}$/),
});
type Packet = typeof packet extends fc.Arbitrary<infer T> ? T : never;
const textOf = (p: Packet): string => (p.weightHundredths / 100).toFixed(p.places);
const bytesOf = (p: Packet): string =>
  `\x1bR\x1bI${p.id}\x1bW${textOf(p)}${p.heightTenths === undefined ? '' : `\x1bH${(p.heightTenths / 10).toFixed(1)}`}${p.bmiTenths === undefined ? '' : `\x1bB${(p.bmiTenths / 10).toFixed(1)}`}\x1bN${p.units}\x1bE`;

describe('healthometer-professional properties', () => {
  it('random packets decode to what they encode, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(packet, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 }), (packets, cuts) => {
        const bytes = fromLatin1(packets.map(bytesOf).join(''));
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const framer = createPacketFramer();
        const frames: Uint8Array[] = [];
        let from = 0;
        for (const c of [...at, bytes.length]) {
          frames.push(...framer.push(bytes.subarray(from, c)).frames);
          from = c;
        }
        expect(frames).toHaveLength(packets.length);
        frames.forEach((frame, i) => {
          const p = packets[i];
          const d = decodePacket(frame);
          expect(d.ok).toBe(true);
          if (!d.ok || !p) return;
          const w = normalizePacket(d.packet);
          const weight = Number(textOf(p));
          expect(w.ok).toBe(weight > 0);
          if (!w.ok) return;
          expect(w.observations[0]?.value).toMatchObject({ value: weight, unit: p.units === 'c' ? '[lb_av]' : 'kg' });
          expect(w.observations).toHaveLength(1 + (p.heightTenths === undefined ? 0 : 1) + (p.bmiTenths === undefined ? 0 : 1));
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('random bytes never throw, and a packet that decodes always states its units and a weight', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 4 }), (chunks) => {
        const framer = createPacketFramer();
        const frames = [...chunks.flatMap((c) => framer.push(c).frames), ...framer.flush().frames];
        for (const frame of frames) {
          const d = decodePacket(frame);
          if (!d.ok) continue;
          expect(['imperial', 'metric']).toContain(d.packet.units);
          expect(Number.isFinite(d.packet.weight.value)).toBe(true);
          normalizePacket(d.packet);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('random bytes with ESC R / ESC E / field letters mixed in never throw', () => {
    const piece = fc.constantFrom('\x1bR', '\x1bE', '\x1bW', '\x1bN', 'c', 'm', '1', '.', '\x1bI', ' ', 'x');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const framer = createPacketFramer();
        for (const frame of framer.push(fromLatin1(pieces.join(''))).frames) {
          const d = decodePacket(frame);
          if (d.ok) normalizePacket(d.packet);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
