import { describe, expect, it } from 'vitest';
import { ASTM, createLinkPair, encodeAstmFrame, type Link, VirtualClock } from '../../kit/index.ts';
import { AstmReceiver } from './receiver.ts';
import { AstmSender, astmMessageFrames } from './sender.ts';
import { LIS_FRAMES, LIS_LONG_COMMENT } from './vectors.ts';

/** A receiver on the host side that answers each byte the sender writes with the replies given, in order. */
function answering(host: Link, replies: number[]): number[] {
  const got: number[] = [];
  host.onData((chunk) => {
    // One write of the sender is one chunk: a control byte or a whole frame.
    got.push(chunk[0] ?? -1);
    const reply = replies.shift();
    if (reply !== undefined) void host.write(Uint8Array.of(reply));
  });
  return got;
}

describe('astmMessageFrames', () => {
  it('encodes the worked urine message byte for byte: FN 1..7, 0, 1…; the comment split 240 + 41', () => {
    const records = LIS_FRAMES.map((f) => f.text).join('').split('\r').filter((r) => r !== '');
    expect(records).toContain(LIS_LONG_COMMENT);
    expect(astmMessageFrames(records)).toEqual(LIS_FRAMES.map((f) => encodeAstmFrame(f.number, f.text, f.last)));
  });
});

describe('AstmSender', () => {
  it('a whole message: ENQ, each frame ACKed, EOT; a NAKed frame is sent again with its number', async () => {
    const clock = new VirtualClock();
    const pair = createLinkPair();
    const frames = astmMessageFrames(['H|\\^&', 'L|1|N']);
    const got = answering(pair.host, [ASTM.ACK, ASTM.NAK, ASTM.ACK, ASTM.ACK]);
    const sender = new AstmSender(pair.device, clock);
    const done = sender.sendMessage(frames, new AbortController().signal);
    await clock.runUntilIdle();
    expect(await done).toBe('ok');
    expect(got).toEqual([ASTM.ENQ, ASTM.STX, ASTM.STX, ASTM.STX, ASTM.EOT]);
  });

  it('gives up after 6 attempts at one frame and terminates with EOT', async () => {
    const clock = new VirtualClock();
    const pair = createLinkPair();
    const got = answering(pair.host, [ASTM.ACK, ...Array<number>(6).fill(ASTM.NAK)]);
    const sender = new AstmSender(pair.device, clock);
    const done = sender.sendMessage(astmMessageFrames(['H|\\^&']), new AbortController().signal);
    await clock.runUntilIdle();
    expect(await done).toBe('refused');
    expect(got.filter((b) => b === ASTM.STX)).toHaveLength(6);
    expect(got.at(-1)).toBe(ASTM.EOT);
  });

  it('waits 15 s for a reply, then terminates', async () => {
    const clock = new VirtualClock(0);
    const pair = createLinkPair();
    const sender = new AstmSender(pair.device, clock);
    const done = sender.sendMessage(astmMessageFrames(['H|\\^&']), new AbortController().signal);
    await clock.runUntilIdle();
    expect(await done).toBe('no-reply');
    expect(clock.now()).toBe(15_000);
  });

  it('NAK to ENQ (busy) waits 10 s; ENQ to ENQ (contention) waits 1 s; then ENQ again', async () => {
    for (const [reply, wait] of [
      [ASTM.NAK, 10_000],
      [ASTM.ENQ, 1_000],
    ] as const) {
      const clock = new VirtualClock(0);
      const pair = createLinkPair();
      const got = answering(pair.host, [reply, ASTM.ACK]);
      const sender = new AstmSender(pair.device, clock);
      const done = sender.establish(new AbortController().signal);
      await clock.runUntilIdle();
      expect(await done).toBe('ok');
      expect(got).toEqual([ASTM.ENQ, ASTM.ENQ]);
      expect(clock.now()).toBe(wait);
    }
  });

  it('EOT in reply to a frame is the receiver interrupting: the sender stops', async () => {
    const clock = new VirtualClock();
    const pair = createLinkPair();
    answering(pair.host, [ASTM.ACK, ASTM.EOT]);
    const sender = new AstmSender(pair.device, clock);
    const done = sender.sendMessage(astmMessageFrames(['H|\\^&', 'L|1|N']), new AbortController().signal);
    await clock.runUntilIdle();
    expect(await done).toBe('interrupted');
  });
});

describe('AstmReceiver.abandon', () => {
  it('drops a record in progress, reports it, and returns to neutral', () => {
    const r = new AstmReceiver({ firstFrame: 'one' });
    r.receive({ type: 'control', byte: ASTM.ENQ });
    const long = encodeAstmFrame(1, 'C|1|I|part one', false);
    r.receive({ type: 'frame', number: 1, text: long.subarray(2, long.length - 5), last: false, valid: true, raw: long });
    const problems = r.abandon('no frame for 30 s');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/no frame for 30 s inside a record/);
    expect(r.state).toBe('neutral');
  });
});
