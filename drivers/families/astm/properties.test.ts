import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitBy } from '../../../test/helpers/chunked-stream.ts';
import { ASTM, AstmFramer, concatBytes, encodeAstmFrame } from '../../kit/index.ts';
import { AstmReceiver } from './receiver.ts';
import { E1394_DEFAULT_DELIMITERS, escapeAstm, fieldRepeats, splitAstmRecord } from './records.ts';

const RUNS = { numRuns: 1000 };
/** E1381 §6.3: at most 240 text characters per frame (ASTM E1381 / CLSI LIS1-A). */
const MAX_TEXT = 240;

/** Printable record text (no control characters), as E1394 allows. */
const recordText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 600 });

/** The frames of a message, E1381 style (240-character ETB parts, ETX end) or Bayer style (CR ETB). */
function encodeMessage(records: readonly string[], bayer: boolean): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let fn = 1;
  for (const record of records) {
    const text = `${record}\r`;
    for (let at = 0; at < text.length; at += MAX_TEXT) {
      const part = text.slice(at, at + MAX_TEXT);
      const end = at + MAX_TEXT >= text.length;
      frames.push(encodeAstmFrame(fn, part, end && !bayer));
      fn = (fn + 1) % 8;
    }
  }
  return frames;
}

/** Framer + receiver over the chunks: the records, replies and whether anything threw. */
function receive(chunks: readonly Uint8Array[]): { records: string[]; replies: number[] } {
  const framer = new AstmFramer();
  const receiver = new AstmReceiver();
  const records: string[] = [];
  const replies: number[] = [];
  for (const chunk of chunks) {
    for (const token of framer.push(chunk).frames) {
      const step = receiver.receive(token);
      records.push(...step.records.map((r) => r.text));
      if (step.reply !== undefined) replies.push(step.reply);
    }
  }
  return { records, replies };
}

describe('ASTM family properties', () => {
  it('random chunking of a valid session gives the same records (both readings of ETB)', () => {
    fc.assert(
      fc.property(fc.array(recordText, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 12 }), (records, bayer, sizes) => {
        const stream = concatBytes([Uint8Array.of(ASTM.ENQ), ...encodeMessage(records, bayer), Uint8Array.of(ASTM.EOT)]);
        const whole = receive([stream]);
        expect(whole.records).toEqual(records);
        expect(receive(splitBy(stream, sizes))).toEqual(whole);
        expect(whole.replies.every((b) => b === ASTM.ACK)).toBe(true);
      }),
      RUNS,
    );
  });

  it('a sender that corrupts frames and misses ACKs at random still delivers every record exactly once', () => {
    fc.assert(
      fc.property(fc.array(recordText, { minLength: 1, maxLength: 5 }), fc.array(fc.constantFrom('ok', 'corrupt', 'repeat'), { minLength: 1, maxLength: 20 }), (records, faults) => {
        const frames = encodeMessage(records, true);
        const framer = new AstmFramer();
        const receiver = new AstmReceiver();
        const got: string[] = [];
        const send = (bytes: Uint8Array): number | undefined => {
          let reply: number | undefined;
          for (const token of framer.push(bytes).frames) {
            const step = receiver.receive(token);
            got.push(...step.records.map((r) => r.text));
            reply = step.reply ?? reply;
          }
          return reply;
        };
        expect(send(Uint8Array.of(ASTM.ENQ))).toBe(ASTM.ACK);
        let fault = 0;
        for (const frame of frames) {
          // Each frame is retried until ACKed; at most 3 faults per frame keep us under 6 NAKs.
          for (let tries = 0; ; tries++) {
            const kind = tries < 3 ? faults[fault++ % faults.length] : 'ok';
            if (kind === 'corrupt') {
              const bad = Uint8Array.from(frame);
              bad[bad.length - 3] = bad[bad.length - 3] === 0x30 ? 0x31 : 0x30;
              expect(send(bad)).toBe(ASTM.NAK);
              continue;
            }
            expect(send(frame)).toBe(ASTM.ACK);
            // The ACK was lost: the sender sends the same frame again, which must not count twice.
            if (kind === 'repeat') expect(send(frame)).toBe(ASTM.ACK);
            break;
          }
        }
        send(Uint8Array.of(ASTM.EOT));
        expect(got).toEqual(records);
      }),
      RUNS,
    );
  });

  it('random garbage never throws and never yields a record', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 300 }), { minLength: 1, maxLength: 8 }), (chunks) => {
        const out = receive(chunks);
        expect(out.records).toEqual([]);
        expect(out.replies.every((b) => b === ASTM.ACK || b === ASTM.NAK)).toBe(true);
      }),
      RUNS,
    );
  });

  it('escaped field values survive join and split', () => {
    const d = E1394_DEFAULT_DELIMITERS;
    const value = fc.string({ unit: fc.constantFrom('a', 'b', '1', ' ', '|', '\\', '^', '&', 'F', 'S', 'R', 'E'), maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.array(fc.array(value, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }), (fields) => {
        const text = ['X', ...fields.map((repeats) => repeats.map((comps) => comps.map((c) => escapeAstm(c, d)).join(d.component)).join(d.repeat))].join(d.field);
        const record = splitAstmRecord(text, d);
        fields.forEach((repeats, i) => expect(fieldRepeats(record, i + 2)).toEqual(repeats));
      }),
      RUNS,
    );
  });
});
