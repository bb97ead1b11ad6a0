import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeReply } from './decode.ts';
import { asciiChecksum, encodeMessage, POLLS, REPLY_LENGTH } from './protocol.ts';

const digits = (n: number): fc.Arbitrary<string> => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((a) => a.join(''));

describe('ge-dinamap properties', () => {
  it('the checksum is two printable characters 0x20–0x5F for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }).map((s) => s.replace(/[^\x20-\x7e]/g, ' ')), (text) => {
        const c = asciiChecksum(text);
        expect(c).toHaveLength(2);
        for (const ch of c) {
          expect(ch.charCodeAt(0)).toBeGreaterThanOrEqual(0x20);
          expect(ch.charCodeAt(0)).toBeLessThanOrEqual(0x5f);
        }
      }),
    );
  });

  it('any well-formed NA reply decodes with a good checksum, and the values it carries', () => {
    fc.assert(
      fc.property(fc.constantFrom('0', '1', '3', '9'), digits(4), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), (status, since, sys, dia) => {
        const body = `NA${status}10${since}${String(sys).padStart(3, '0')}${String(dia).padStart(3, '0')}090`;
        const line = encodeMessage(body).slice(0, -1);
        const d = decodeReply('NA', fromLatin1(line));
        expect(d.ok && d.checksumOk).toBe(true);
        if (d.ok && d.reply.poll === 'NA') expect([d.reply.systolic, d.reply.diastolic]).toEqual([sys, dia]);
      }),
    );
  });

  it('random bytes never throw, and never decode unless they have the exact echo and length', () => {
    fc.assert(
      fc.property(fc.constantFrom(...POLLS), fc.uint8Array({ maxLength: 40 }), (poll, bytes) => {
        const d = decodeReply(poll, bytes);
        if (d.ok) {
          expect(bytes.length).toBe(REPLY_LENGTH[poll]);
          expect(String.fromCharCode(...bytes.slice(0, 3))).toBe(` ${poll}`);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('one changed character in a reply is either refused or caught by the checksum', () => {
    const line = ' NA1100120120080093%^';
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 18 }), fc.integer({ min: 0x30, max: 0x39 }), (at, code) => {
        if (line.charCodeAt(at) === code) return;
        const changed = line.slice(0, at) + String.fromCharCode(code) + line.slice(at + 1);
        const d = decodeReply('NA', fromLatin1(changed));
        expect(!d.ok || !d.checksumOk).toBe(true);
      }),
    );
  });
});
