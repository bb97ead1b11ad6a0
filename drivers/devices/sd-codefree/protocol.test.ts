import { describe, expect, it } from 'vitest';
import { toHex } from '../../kit/index.ts';
import { decodeCount, decodeRecord, isChallenge } from './decode.ts';
import { normalizeRecord } from './normalize.ts';
import { CodeFreeFramer, FROM_METER, MESSAGE, encodePacket } from './protocol.ts';

const bytes = (s: string): Uint8Array => Uint8Array.from(s.split(' ').map((h) => parseInt(h, 16)));
const COUNT_37 = `53 20 18 30 00 25 ${Array(19).fill('AA').join(' ')} BF AA`;

describe('SD CodeFree packets (PROTOCOL.md §2, §5)', () => {
  it('builds and reads the notes’ packets: challenge, start, fetch, count 37', () => {
    expect(toHex(encodePacket(MESSAGE.challenge, FROM_METER), 20)).toBe(toHex(bytes('53 20 04 10 30 20 AA'), 20));
    expect(toHex(encodePacket(MESSAGE.start), 20)).toBe(toHex(bytes('53 10 04 10 40 50 AA'), 20));
    expect(toHex(encodePacket(MESSAGE.fetch), 20)).toBe(toHex(bytes('53 10 04 10 60 70 AA'), 20));
    const out = new CodeFreeFramer().push(bytes(`00 53 20 04 10 30 20 AA ${COUNT_37}`));
    expect(out.problems.map((p) => p.code)).toEqual(['PROTOCOL_GARBAGE']);
    const [hello, count] = out.frames;
    expect(hello?.kind === 'packet' && isChallenge(hello.packet.message)).toBe(true);
    expect(count?.kind === 'packet' ? decodeCount(count.packet.message) : undefined).toEqual({ ok: true, value: 37 });
  });

  it('the ADATE clock command of the notes checks out under the same rule', () => {
    const adate = bytes('53 10 13 41 44 41 54 45 32 30 32 34 30 33 30 35 31 34 33 30 51 AA');
    expect(new CodeFreeFramer().push(adate).frames.map((f) => f.kind)).toEqual(['packet']);
  });

  it('decodes a record: time without seconds, value u16 BE, meal byte', () => {
    const record = bytes('00 00 18 03 05 0E 1E 00 68 10 00 00 00 00 00 00 00');
    expect(decodeRecord(record)).toMatchObject({ ok: true, value: { deviceTime: '2024-03-05T14:30:00', mgdl: 104, meal: 'before' } });
    expect(decodeRecord(record.subarray(1)).ok).toBe(false);
    expect(decodeRecord(bytes('00 00 18 02 1E 0E 1E 00 68 10 00 00 00 00 00 00 00')).ok).toBe(false); // 30 February
    expect(normalizeRecord({ mgdl: 104, meal: 'after' })).toMatchObject({ flags: ['meal:after'], observations: [{ code: '41653-7', value: { value: 104, unit: 'mg/dL' } }] });
  });
});
