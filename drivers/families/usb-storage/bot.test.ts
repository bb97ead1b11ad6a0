import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAt } from '../../../test/helpers/chunked-stream.ts';
import { toHex } from '../../kit/index.ts';
import { BotFramer, CDB, decodeCbw, decodeCsw, encodeCbw, encodeCsw, type BotReply } from './bot.ts';

/** The Bulk-Only Transport layer against the notes' constructed CBWs (drivers/devices/lifescan-onetouch-verio/PROTOCOL.md §2, §9). */
const ZEROS = (n: number): string => Array.from({ length: n }, () => '00').join(' ');

function frameAll(framer: BotFramer, chunks: Uint8Array[]): { frames: BotReply[]; problems: number } {
  const frames: BotReply[] = [];
  let problems = 0;
  for (const chunk of chunks) {
    const out = framer.push(chunk);
    frames.push(...out.frames);
    problems += out.problems.length;
  }
  return { frames, problems };
}

describe('CBW and CSW', () => {
  it('encodes the notes’ INQUIRY, WRITE(10) and READ(10) CBWs byte for byte', () => {
    expect(toHex(encodeCbw({ tag: 1, direction: 'in', dataLength: 36, cdb: CDB.inquiry(36) }))).toBe(`55 53 42 43 01 00 00 00 24 00 00 00 80 00 06 12 00 00 00 24 00 ${ZEROS(10)}`);
    expect(toHex(encodeCbw({ tag: 2, direction: 'out', dataLength: 512, cdb: CDB.write10(3) }))).toBe(`55 53 42 43 02 00 00 00 00 02 00 00 00 00 0A 2A 00 00 00 00 03 00 00 01 00 ${ZEROS(6)}`);
    expect(toHex(encodeCbw({ tag: 3, direction: 'in', dataLength: 512, cdb: CDB.read10(3) }))).toBe(`55 53 42 43 03 00 00 00 00 02 00 00 80 00 0A 28 00 00 00 00 03 00 00 01 00 ${ZEROS(6)}`);
  });

  it('decodes what it encodes, and says why 13 bytes are not a CSW', () => {
    const cbw = decodeCbw(encodeCbw({ tag: 0xdeadbeef, direction: 'out', dataLength: 512, cdb: CDB.write10(4) }));
    expect(cbw).toMatchObject({ tag: 0xdeadbeef, direction: 'out', dataLength: 512, lun: 0 });
    expect(toHex(cbw?.cdb ?? new Uint8Array())).toBe('2A 00 00 00 00 04 00 00 01 00');
    expect(decodeCsw(Uint8Array.from([0x55, 0x53, 0x42, 0x53, 3, 0, 0, 0, 0, 0, 0, 0, 0]))).toEqual({ ok: true, tag: 3, residue: 0, status: 'passed' });
    expect(decodeCsw(encodeCsw(7, 512, 1))).toEqual({ ok: true, tag: 7, residue: 512, status: 'failed' });
    expect(decodeCsw(encodeCsw(7, 0, 2))).toMatchObject({ status: 'phase-error' });
    const bad = encodeCsw(7, 0, 0);
    bad[12] = 9;
    expect(decodeCsw(bad)).toMatchObject({ ok: false, reason: expect.stringMatching(/status byte 0x09/) });
    expect(decodeCsw(Uint8Array.of(1, 2, 3))).toMatchObject({ ok: false });
    expect(decodeCbw(new Uint8Array(31))).toBeUndefined();
  });
});

describe('BotFramer', () => {
  const block = Uint8Array.from({ length: 512 }, (_, i) => i & 0xff);

  it('cuts the data phase and the CSW of the expected tag', () => {
    const framer = new BotFramer();
    framer.expect(5, 512);
    const { frames, problems } = frameAll(framer, [block.subarray(0, 64), block.subarray(64), encodeCsw(5, 0, 0)]);
    expect(problems).toBe(0);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ kind: 'reply', tag: 5, status: 'passed', residue: 0 });
    expect(frames[0]?.kind === 'reply' && frames[0].data).toEqual(block);
  });

  it('takes a short data phase ended early where the CSW residue says so', () => {
    const framer = new BotFramer();
    framer.expect(6, 36);
    const { frames } = frameAll(framer, [Uint8Array.of(1, 2, 3), encodeCsw(6, 33, 0)]);
    expect(frames[0]).toMatchObject({ kind: 'reply', residue: 33, data: Uint8Array.of(1, 2, 3) });
  });

  it('a failed command with no data: the CSW at once', () => {
    const framer = new BotFramer();
    framer.expect(7, 512);
    expect(framer.push(encodeCsw(7, 512, 1)).frames[0]).toMatchObject({ kind: 'reply', status: 'failed', data: new Uint8Array(0) });
  });

  it('drops a late CSW of another tag in front of the data, as a problem', () => {
    const framer = new BotFramer();
    framer.expect(9, 0);
    const { frames, problems } = frameAll(framer, [encodeCsw(8, 0, 0), encodeCsw(9, 0, 0)]);
    expect(problems).toBe(1);
    expect(frames).toEqual([expect.objectContaining({ kind: 'reply', tag: 9 })]);
  });

  it('bytes where the CSW should be are a phase error (broken), never a reply', () => {
    const framer = new BotFramer();
    framer.expect(10, 4);
    const out = framer.push(Uint8Array.of(1, 2, 3, 4, ...new Uint8Array(13)));
    expect(out.frames).toEqual([expect.objectContaining({ kind: 'broken', tag: 10 })]);
    framer.expect(11, 0);
    expect(framer.push(encodeCsw(12, 0, 0)).frames).toEqual([]);
  });

  it('bytes with no command outstanding are garbage; flush reports a half reply as truncated', () => {
    const framer = new BotFramer();
    expect(framer.push(Uint8Array.of(1, 2)).problems[0]?.code).toBe('PROTOCOL_GARBAGE');
    framer.expect(1, 512);
    framer.push(block.subarray(0, 100));
    expect(framer.flush().problems[0]?.code).toBe('PROTOCOL_TRUNCATED');
  });

  it('property: however the IN stream is chunked, the same reply comes out', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 0xffffffff }), fc.array(fc.nat(), { maxLength: 12 }), (data, tag, points) => {
        const framer = new BotFramer();
        framer.expect(tag, data.length);
        const stream = Uint8Array.from([...data, ...encodeCsw(tag, 0, 0)]);
        const { frames, problems } = frameAll(framer, cutAt(stream, points));
        expect(problems).toBe(0);
        expect(frames).toHaveLength(1);
        expect(frames[0]?.kind === 'reply' && [...frames[0].data]).toEqual([...data]);
      }),
      { numRuns: 500 },
    );
  });

  it('property: random bytes never throw and never make a reply with another tag', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }), fc.nat({ max: 600 }), (chunks, length) => {
        const framer = new BotFramer();
        framer.expect(42, length);
        const { frames } = frameAll(framer, chunks);
        framer.flush();
        for (const f of frames) expect(f.tag).toBe(42);
      }),
      { numRuns: 1000 },
    );
  });
});
