import { describe, expect, it } from 'vitest';
import { fromLatin1, latin1 } from './bytes.ts';
import { LineFramer } from './framers/lines.ts';
import { framerTrace } from './trace-annotator.ts';

describe('framerTrace', () => {
  it('gives one token per frame, reassembled across chunks, as the describe function says', () => {
    const trace = framerTrace(new LineFramer(), (line) => ({ bytes: line, frame: { kind: 'line', checksum: 'none', note: `${line.length} bytes` } }));
    expect(trace.push(fromLatin1('SPO2=9'))).toEqual([]);
    const tokens = trace.push(fromLatin1('7\r\nBPM=72\r\n'));
    expect(tokens.map((t) => [latin1(t.bytes), t.frame])).toEqual([
      ['SPO2=97', { kind: 'line', checksum: 'none', note: '7 bytes' }],
      ['BPM=72', { kind: 'line', checksum: 'none', note: '6 bytes' }],
    ]);
  });

  it('shows what the framer skipped as an `other` token with the framer’s own message', () => {
    const trace = framerTrace(new LineFramer({ maxLength: 4 }), (line) => ({ bytes: line, frame: { kind: 'line', checksum: 'none' } }));
    const tokens = trace.push(fromLatin1('TOOLONGLINE\r\nOK\r\n'));
    const skipped = tokens.filter((t) => t.frame.kind === 'other');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.frame.note).toMatch(/\S/);
    expect(tokens.filter((t) => t.frame.kind === 'line').map((t) => latin1(t.bytes))).toEqual(['OK']);
  });
});
