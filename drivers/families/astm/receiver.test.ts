import { describe, expect, it } from 'vitest';
import { ASTM, AstmFramer, type AstmToken, concatBytes, encodeAstmFrame, latin1 } from '../../kit/index.ts';
import { AstmReceiver, type AstmReceiverStep } from './receiver.ts';
import { CONTOUR_FRAMES, CONTOUR_HEADER_TEXT, LIS_FRAMES, LIS_LONG_COMMENT, TIDEPOOL_R_FRAME, type FrameVector } from './vectors.ts';

const frameOf = (v: FrameVector): Uint8Array => encodeAstmFrame(v.number, v.text, v.last);
const tokens = (...chunks: Uint8Array[]): AstmToken[] => new AstmFramer().push(concatBytes(chunks)).frames;
const ctl = (byte: number): Uint8Array => Uint8Array.of(byte);

/** Feed every token; collect replies, record texts, events and problem codes. */
function feed(receiver: AstmReceiver, input: AstmToken[]): { replies: number[]; records: string[]; events: string[]; problems: string[]; steps: AstmReceiverStep[] } {
  const steps = input.map((t) => receiver.receive(t));
  return {
    steps,
    replies: steps.flatMap((s) => (s.reply === undefined ? [] : [s.reply])),
    records: steps.flatMap((s) => s.records.map((r) => r.text)),
    events: steps.map((s) => s.event),
    problems: steps.flatMap((s) => s.problems.map((p) => p.code)),
  };
}

/** A frame with its checksum digits replaced by a wrong pair. */
function corrupt(frame: Uint8Array): Uint8Array {
  const bad = Uint8Array.from(frame);
  const at = bad.length - 4;
  bad[at] = bad[at] === 0x30 ? 0x31 : 0x30;
  return bad;
}

describe('verified checksum vectors', () => {
  it.each([...CONTOUR_FRAMES, TIDEPOOL_R_FRAME, ...LIS_FRAMES].map((v) => [v.checksum, v.number, v]))('checksum %s for frame %i', (checksum, _n, v) => {
    const frame = frameOf(v);
    expect(latin1(frame.subarray(frame.length - 4, frame.length - 2))).toBe(checksum);
    const [token] = tokens(frame);
    expect(token).toMatchObject({ type: 'frame', valid: true, number: v.number, last: v.last });
  });

  it('the Contour header frame is STX 1 text CR ETB D7 CR LF', () => {
    expect(latin1(frameOf(CONTOUR_FRAMES[0] as FrameVector))).toBe(`\x021${CONTOUR_HEADER_TEXT}\r\x17D7\r\n`);
  });
});

describe('AstmReceiver: one message', () => {
  it('Bayer reading (Contour PROTOCOL.md §4): every record in its own CR ETB frame is complete; ENQ and frames ACKed; EOT ends', () => {
    const r = new AstmReceiver();
    const out = feed(r, tokens(ctl(ASTM.ENQ), ...CONTOUR_FRAMES.map(frameOf), ctl(ASTM.EOT)));
    expect(out.replies).toEqual([ASTM.ACK, ASTM.ACK, ASTM.ACK, ASTM.ACK, ASTM.ACK, ASTM.ACK]);
    expect(out.records).toEqual(CONTOUR_FRAMES.map((v) => v.text.slice(0, -1)));
    expect(out.events).toEqual(['established', 'accepted', 'accepted', 'accepted', 'accepted', 'accepted', 'ended']);
    expect(out.problems).toEqual([]);
    expect(r.state).toBe('neutral');
    // Each record carries the raw frame it came in.
    expect(out.steps[1]?.records[0]?.frames).toEqual([frameOf(CONTOUR_FRAMES[0] as FrameVector)]);
  });

  it('E1381 reading: ETB without CR continues the record, ETX ends it (urine analyzer vector, FN wrap 7 → 0 → 1)', () => {
    const r = new AstmReceiver({ firstFrame: 'one' });
    const out = feed(r, tokens(ctl(ASTM.ENQ), ...LIS_FRAMES.map(frameOf), ctl(ASTM.EOT)));
    expect(out.replies.every((b) => b === ASTM.ACK)).toBe(true);
    expect(out.replies).toHaveLength(LIS_FRAMES.length + 1);
    expect(out.records).toHaveLength(15);
    expect(out.records[13]).toBe(LIS_LONG_COMMENT);
    expect(out.records[14]).toBe('L|1|N');
    const comment = out.steps[15]?.records[0];
    expect(comment?.frames).toHaveLength(2);
  });

  it('a record whose frames all end in CR ETX (no Bayer quirk) comes out the same', () => {
    const frames = CONTOUR_FRAMES.map((v) => encodeAstmFrame(v.number, v.text, true));
    expect(feed(new AstmReceiver(), tokens(ctl(ASTM.ENQ), ...frames)).records).toEqual(CONTOUR_FRAMES.map((v) => v.text.slice(0, -1)));
  });

  it('a frame carrying two CR-separated records yields both', () => {
    const out = feed(new AstmReceiver(), tokens(ctl(ASTM.ENQ), encodeAstmFrame(1, 'P|1\rR|1|x\r', true)));
    expect(out.records).toEqual(['P|1', 'R|1|x']);
  });

  it('accepts frames without ENQ (a meter answering the host ACK with a frame, Contour PROTOCOL.md §4 way 1)', () => {
    const out = feed(new AstmReceiver(), tokens(...CONTOUR_FRAMES.slice(0, 2).map(frameOf)));
    expect(out.replies).toEqual([ASTM.ACK, ASTM.ACK]);
    expect(out.records).toHaveLength(2);
  });

  it('ignores an EOT in neutral and ACK/NAK from the sender', () => {
    const out = feed(new AstmReceiver(), tokens(ctl(ASTM.EOT), ctl(ASTM.ACK), ctl(ASTM.NAK)));
    expect(out.events).toEqual(['ignored', 'ignored', 'ignored']);
    expect(out.replies).toEqual([]);
  });
});

describe('AstmReceiver: errors and retransmission', () => {
  const [h, p, r1] = CONTOUR_FRAMES.map(frameOf) as [Uint8Array, Uint8Array, Uint8Array];

  it('NAKs a bad checksum with PROTOCOL_CHECKSUM, then takes the retransmission once', () => {
    const out = feed(new AstmReceiver(), tokens(ctl(ASTM.ENQ), h, p, corrupt(r1), r1));
    expect(out.replies).toEqual([ASTM.ACK, ASTM.ACK, ASTM.ACK, ASTM.NAK, ASTM.ACK]);
    expect(out.problems).toEqual(['PROTOCOL_CHECKSUM']);
    expect(out.records).toHaveLength(3);
  });

  it('ACKs a repeated frame (our ACK was lost) without appending it twice', () => {
    const out = feed(new AstmReceiver(), tokens(ctl(ASTM.ENQ), h, p, p, r1));
    expect(out.replies).toEqual([ASTM.ACK, ASTM.ACK, ASTM.ACK, ASTM.ACK, ASTM.ACK]);
    expect(out.events).toEqual(['established', 'accepted', 'accepted', 'repeated', 'accepted']);
    expect(out.records).toEqual(CONTOUR_FRAMES.slice(0, 3).map((v) => v.text.slice(0, -1)));
  });

  it('NAKs an unexpected frame number (a frame was skipped) with PROTOCOL_UNEXPECTED', () => {
    const out = feed(new AstmReceiver(), tokens(ctl(ASTM.ENQ), h, r1));
    expect(out.replies).toEqual([ASTM.ACK, ASTM.ACK, ASTM.NAK]);
    expect(out.problems).toEqual(['PROTOCOL_UNEXPECTED']);
    expect(out.records).toHaveLength(1);
  });

  it("firstFrame 'one' NAKs a message starting at 3; 'any' (default) adopts it", () => {
    expect(feed(new AstmReceiver({ firstFrame: 'one' }), tokens(ctl(ASTM.ENQ), r1)).replies).toEqual([ASTM.ACK, ASTM.NAK]);
    expect(feed(new AstmReceiver(), tokens(ctl(ASTM.ENQ), r1)).replies).toEqual([ASTM.ACK, ASTM.ACK]);
  });

  it('gives up after 6 NAKs for one frame: no seventh NAK, state failed, until the next ENQ', () => {
    const r = new AstmReceiver();
    const bad = corrupt(h);
    const out = feed(r, tokens(ctl(ASTM.ENQ), ...Array.from({ length: 7 }, () => bad), h));
    expect(out.replies).toEqual([ASTM.ACK, ...Array.from({ length: 6 }, () => ASTM.NAK)]);
    expect(out.events.slice(-2)).toEqual(['gave-up', 'ignored']);
    expect(r.state).toBe('failed');
    expect(feed(r, tokens(ctl(ASTM.ENQ), h)).records).toHaveLength(1);
  });

  it('an EOT after NAKs says how many NAKs were left unanswered (the sender gave up)', () => {
    const r = new AstmReceiver();
    const out = feed(r, tokens(ctl(ASTM.ENQ), h, corrupt(p), corrupt(p), ctl(ASTM.EOT)));
    expect(out.steps.at(-1)).toMatchObject({ event: 'ended', unansweredNaks: 2 });
    expect(feed(new AstmReceiver(), tokens(ctl(ASTM.ENQ), h, ctl(ASTM.EOT))).steps.at(-1)).toMatchObject({ event: 'ended', unansweredNaks: 0 });
  });

  it('the NAK count is per frame: a good frame resets it', () => {
    const r = new AstmReceiver({ maxNaksPerFrame: 2 });
    const out = feed(r, tokens(ctl(ASTM.ENQ), corrupt(h), corrupt(h), h, corrupt(p), corrupt(p), p));
    expect(out.events).not.toContain('gave-up');
    expect(out.records).toHaveLength(2);
  });

  it('ENQ inside a message restarts it: a half record is dropped and reported, numbering starts again', () => {
    const r = new AstmReceiver({ firstFrame: 'one' });
    const first = encodeAstmFrame(1, 'C|1|I|part one', false);
    const out = feed(r, tokens(ctl(ASTM.ENQ), first, ctl(ASTM.ENQ), h));
    expect(out.events).toEqual(['established', 'accepted', 'restarted', 'accepted']);
    expect(out.problems).toEqual(['PROTOCOL_TRUNCATED']);
    expect(out.records).toEqual([CONTOUR_HEADER_TEXT]);
  });

  it('the glucometerutils burst (EOT, header frame, ENQ) then the header again gives the header twice, no problem', () => {
    const out = feed(new AstmReceiver(), tokens(ctl(ASTM.EOT), h, ctl(ASTM.ENQ), h, p));
    expect(out.events).toEqual(['ignored', 'accepted', 'restarted', 'accepted', 'accepted']);
    expect(out.records).toEqual([CONTOUR_HEADER_TEXT, CONTOUR_HEADER_TEXT, 'P|1']);
    expect(out.problems).toEqual([]);
  });

  it('drops (and reports once) a record longer than maxRecordChars, keeps ACKing, and goes on', () => {
    const r = new AstmReceiver({ maxRecordChars: 300 });
    const parts = [1, 2, 3].map((n) => encodeAstmFrame(n, 'x'.repeat(200), false));
    const out = feed(r, tokens(ctl(ASTM.ENQ), ...parts, encodeAstmFrame(4, 'end\r', true), encodeAstmFrame(5, 'L|1\r', true)));
    expect(out.replies.every((b) => b === ASTM.ACK)).toBe(true);
    expect(out.problems).toEqual(['PROTOCOL_GARBAGE']);
    expect(out.records).toEqual(['L|1']);
  });
});
