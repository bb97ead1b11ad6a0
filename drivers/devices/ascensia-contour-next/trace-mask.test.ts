import { describe, expect, it } from 'vitest';
import { AstmFramer, type AstmToken, concatBytes, encodeAstmFrame, latin1 } from '../../kit/index.ts';
import { maskAstmStream } from './trace-mask.ts';

type Frame = Extract<AstmToken, { type: 'frame' }>;

function frames(stream: Uint8Array): Frame[] {
  return new AstmFramer().push(stream).frames.filter((t): t is Frame => t.type === 'frame');
}

describe('maskAstmStream', () => {
  const header = encodeAstmFrame(1, 'H|\\^&|||Meter^1.0\r', false);
  // A patient record cut over two frames (ETB), so the name starts in one frame and ends in the next.
  const patientA = encodeAstmFrame(2, 'P|1|MRN-4711|LAB22|3RD|Doe^Ja', false);
  const patientB = encodeAstmFrame(3, 'ne|Smith|19700131|F\r', false);
  const order = encodeAstmFrame(4, 'O|1|SPEC-99^A|INST7||^^^GLU\r', false);
  const comment = encodeAstmFrame(5, 'C|1|I|call Jane at 555-0100|G\r', false);
  const badResult = encodeAstmFrame(6, 'R|1|^^^Glucose|107|mg/dL\r', true);
  // One checksum digit changed: the meter sent this frame wrong.
  badResult[badResult.length - 4] = (badResult[badResult.length - 4] ?? 0) ^ 0x01;
  const stream = concatBytes([Uint8Array.of(0x05), header, patientA, patientB, order, comment, badResult, Uint8Array.of(0x04)]);

  it('overwrites patient ids, name, mother\'s name, birth date, specimen ids and comment text, keeping delimiters and lengths', () => {
    const masked = maskAstmStream(stream);
    expect(masked).toHaveLength(stream.length);
    const text = frames(masked).map((f) => latin1(f.text)).join('');
    expect(text).toBe(
      'H|\\^&|||Meter^1.0\r' +
        'P|1|XXXX0000|XXX00|0XX|XXX^XXXX|XXXXX|00000000|F\r' +
        'O|1|XXXXX00^X|XXXX0||^^^GLU\r' +
        'C|1|I|XXXXXXXXXXXXX000X0000|G\r' +
        'R|1|^^^Glucose|107|mg/dL\r',
    );
  });

  it('recomputes the checksums of masked frames and keeps a bad frame exactly as bad', () => {
    const before = frames(stream).map((f) => f.valid);
    const after = frames(maskAstmStream(stream));
    expect(after.map((f) => f.valid)).toEqual(before);
    expect(before).toEqual([true, true, true, true, true, false]);
  });

  it('leaves a stream without identity untouched', () => {
    const plain = concatBytes([header, encodeAstmFrame(2, 'P|1\r', false), badResult]);
    expect(maskAstmStream(plain)).toEqual(plain);
  });
});
