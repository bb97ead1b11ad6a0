import { describe, expect, it } from 'vitest';
import type { TraceEntry } from '../../../shared/api/ports-model.ts';
import { TraceRing } from './trace-ring.ts';

function entryOf(ring: TraceRing, bytes: number): TraceEntry {
  return { portId: 'p', seq: ring.nextSeq(), at: '2026-01-01T00:00:00.000Z', direction: 'in', hex: '00 '.repeat(bytes).trimEnd(), text: '<00>'.repeat(bytes) };
}

describe('trace ring', () => {
  it('keeps at most `capacity` entries, the newest', () => {
    const ring = new TraceRing(3);
    for (let i = 0; i < 5; i++) ring.push(entryOf(ring, 1));
    expect(ring.after().map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(ring.after(4).map((e) => e.seq)).toEqual([5]);
    expect(ring.after(0, 2).map((e) => e.seq)).toEqual([4, 5]);
  });

  it('keeps at most `maxChars` characters of hex and text, dropping the oldest: large reads do not grow memory past the budget', () => {
    // One 100-byte read is 299 hex + 400 text characters.
    const ring = new TraceRing(5000, 2_000);
    for (let i = 0; i < 1000; i++) ring.push(entryOf(ring, 100));
    expect(ring.usage()).toEqual({ entries: 2, chars: 1_398 });
    expect(ring.after().map((e) => e.seq)).toEqual([999, 1000]);
  });

  it('keeps the newest entry even when it alone is over the budget', () => {
    const ring = new TraceRing(10, 100);
    ring.push(entryOf(ring, 1));
    ring.push(entryOf(ring, 500));
    expect(ring.after().map((e) => e.seq)).toEqual([2]);
    ring.push(entryOf(ring, 1));
    expect(ring.after().map((e) => e.seq)).toEqual([3]);
  });
});
