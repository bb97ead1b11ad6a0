import { describe, expect, it } from 'vitest';
import { fromLatin1 } from './bytes.ts';
import { crc16CcittFalse, crc16X25, hex2, sum16, sum8, xor8 } from './checksums.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.split(' '), (h) => parseInt(h, 16));

describe('checksums against published vectors', () => {
  it('ASTM E1381: "1A|B|C|D" + ETX sums to BF (python-astm vector)', () => {
    const frame = hex('02 31 41 7C 42 7C 43 7C 44 0D 03 42 46 0D 0A');
    expect(hex2(sum8(frame, 1, 11))).toBe('BF');
  });

  it('Nonin DF7: the four bytes sum to the fifth', () => {
    for (const f of ['83 80 00 00 03', '82 80 10 48 5A', '82 80 20 61 83', '01 82 84 48 4F']) {
      const b = hex(f);
      expect(sum8(b, 0, 4)).toBe(b[4]);
    }
  });

  it('Clinitek 50 ID packet sums to 48', () => {
    const body = fromLatin1('\r\n6510  01.02 9706201349\r\nDEUTSCH - CONV.\r\nMULTISTIX 8 SG\r\n');
    expect(hex2(sum8(body))).toBe('48');
  });

  it('Omron GME reply: XOR of the data is the last byte', () => {
    const b = hex('07 01 03 00 06 33 00 00 70 4B 47 00 00 4C');
    expect(xor8(b, 0, 13)).toBe(0x4c);
  });

  it('CRC-16/CCITT-FALSE of "123456789" is 29B1 (the catalogue check value)', () => {
    expect(crc16CcittFalse(fromLatin1('123456789'))).toBe(0x29b1);
  });

  it('CRC-16/X-25 of "123456789" is 906E, and IntelliVue 3A 71 gives FCS 9B 26 (sent low byte first)', () => {
    expect(crc16X25(fromLatin1('123456789'))).toBe(0x906e);
    expect(crc16X25(hex('3A 71'))).toBe(0x269b);
    expect(crc16X25(hex('3A 91'))).toBe(0xc195);
  });

  it('sum16 wraps at 65536', () => {
    expect(sum16(new Uint8Array(300).fill(0xff))).toBe((300 * 255) & 0xffff);
  });
});
