import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeDataPacket, decodeHeader, decodeIdPacket } from './decode.ts';
import { encodePacket, NAK, packetChecksum, parsePacket, ReplyFramer, STX } from './protocol.ts';

/** The real ID packet quoted in PROTOCOL.md §4, byte for byte. */
const REAL_ID = fromLatin1('\x02\r\n6510  01.02 9706201349\r\nDEUTSCH - CONV.\r\nMULTISTIX 8 SG\r\n48\x03');
/** The data packet as the source quotes it (padding lost: it does not verify, PROTOCOL.md §2). */
const QUOTED_DATA_LINES = [
  '6510  01.02 9703031111', '008 HELL GELB     ', 'GLU  NEGATIV        ', 'BIL  NEGATIV        ', 'KET  NEGATIV        ', 'SG   >=1.030        ',
  'pH   5.0            ', 'PRO  NEGATIV        ', 'UBG  0.2 mg/dL      ', 'NIT  NEGATIV        ', 'OBL* Ca 10 Ery/uL   ', 'LEU  0 Leu/uL       ',
];

describe('checksum and packets (PROTOCOL.md §2)', () => {
  it('the real ID packet sums to 48, as it says', () => {
    const parsed = parsePacket(REAL_ID);
    expect(parsed).toEqual({ ok: true, packet: { lines: ['6510  01.02 9706201349', 'DEUTSCH - CONV.', 'MULTISTIX 8 SG'], got: '48', expected: '48', checksumOk: true } });
    expect(encodePacket(['6510  01.02 9706201349', 'DEUTSCH - CONV.', 'MULTISTIX 8 SG'])).toEqual(REAL_ID);
  });

  it('the quoted data packet with its quoted checksum 4C fails (whitespace lost in transcription)', () => {
    const packet = encodePacket(QUOTED_DATA_LINES);
    expect(packetChecksum(packet.subarray(1, -3))).toBe('29');
    const quoted = packet.slice();
    quoted.set(fromLatin1('4C'), quoted.length - 3);
    expect(parsePacket(quoted)).toMatchObject({ ok: true, packet: { got: '4C', expected: '29', checksumOk: false } });
  });

  it('refuses what is not a packet, without throwing', () => {
    expect(parsePacket(fromLatin1('\x02xx\x03'))).toMatchObject({ ok: false });
    expect(parsePacket(fromLatin1('\x02ab\r\nline\r\n48\x03'))).toMatchObject({ ok: false, reason: expect.stringContaining('STX CR LF') });
    expect(parsePacket(fromLatin1('\x02\r\nline\r\nZZ\x03'))).toMatchObject({ ok: false, reason: expect.stringContaining('hex') });
    expect(parsePacket(fromLatin1('\x02\r\nline48\x03'))).toMatchObject({ ok: false });
  });

  it('encodes a wrong checksum on request (the simulator fault)', () => {
    expect(parsePacket(encodePacket(['6510  01.02 9706201349', 'A', 'B'], { badChecksum: true }))).toMatchObject({ ok: true, packet: { checksumOk: false } });
  });
});

describe('ReplyFramer', () => {
  it('gives packets and lone NAKs, reports noise and packets cut short', () => {
    const f = new ReplyFramer();
    const out = f.push(Uint8Array.of(0x00, 0xff, ...REAL_ID, NAK, STX, 0x0d, STX, 0x0d, 0x0a));
    expect(out.frames.map((r) => r.kind)).toEqual(['packet', 'nak']);
    expect(out.problems.map((p) => p.code)).toEqual(['PROTOCOL_GARBAGE', 'PROTOCOL_TRUNCATED']);
    expect(f.flush().problems.map((p) => p.code)).toEqual(['PROTOCOL_TRUNCATED']);
  });

  it('drops a packet longer than 1024 bytes', () => {
    const out = new ReplyFramer().push(Uint8Array.from({ length: 1100 }, (_, i) => (i === 0 ? STX : 0x41)));
    expect(out.problems.map((p) => p.code)).toEqual(['PROTOCOL_GARBAGE']);
  });
});

describe('decode (PROTOCOL.md §4)', () => {
  it('reads the ID packet: product, revision, software, clock, profile, strip', () => {
    expect(decodeIdPacket(['6510  01.02 9706201349', 'DEUTSCH - CONV.', 'MULTISTIX 8 SG'])).toEqual({
      ok: true,
      value: { product: '6510', revision: '  ', software: '01.02', stamp: '9706201349', deviceTime: '1997-06-20T13:49:00', profile: 'DEUTSCH - CONV.', language: 'DEUTSCH', units: 'CONV.', strip: 'MULTISTIX 8 SG' },
    });
  });

  it('reads two-digit years 90–99 as 19xx, 00–89 as 20xx, and refuses impossible dates', () => {
    expect(decodeHeader('6510  01.02 2603021015')).toMatchObject({ ok: true, value: { deviceTime: '2026-03-02T10:15:00' } });
    expect(decodeHeader('6510A 01.00 9001010000')).toMatchObject({ ok: true, value: { revision: 'A ', deviceTime: '1990-01-01T00:00:00' } });
    expect(decodeHeader('6510  01.02 9702301349')).toMatchObject({ ok: false });
    expect(decodeHeader('6510  01.02 97063')).toMatchObject({ ok: false });
  });

  it('reads the German data capture: sequence, colour, ten analytes with the * mark', () => {
    const decoded = decodeDataPacket(QUOTED_DATA_LINES);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.value).toMatchObject({ sequence: '008', colour: 'HELL GELB', deviceTime: '1997-03-03T11:11:00' });
    expect(decoded.value.results).toHaveLength(10);
    expect(decoded.value.results[3]).toEqual({ code: 'SG', value: '>=1.030', abnormal: false });
    expect(decoded.value.results[8]).toEqual({ code: 'OBL', value: 'Ca 10 Ery/uL', abnormal: true });
  });

  it('refuses packets that are not data packets, saying why', () => {
    expect(decodeDataPacket(['6510  01.02 9703031111', '008 HELL GELB'])).toMatchObject({ ok: false });
    expect(decodeDataPacket(['6510  01.02 9703031111', 'HELL GELB', 'GLU  NEGATIV'])).toMatchObject({ ok: false, reason: expect.stringContaining('sequence') });
    expect(decodeDataPacket(['6510  01.02 9703031111', '008', 'GLU'])).toMatchObject({ ok: false, reason: expect.stringContaining('line 3') });
    expect(decodeDataPacket(['6510  01.02 9703031111', '008', 'GLU  NEG\x07'])).toMatchObject({ ok: false, reason: expect.stringContaining('control') });
    expect(decodeIdPacket(['6510  01.02 9706201349', 'DEUTSCH - CONV.'])).toMatchObject({ ok: false });
  });
});
