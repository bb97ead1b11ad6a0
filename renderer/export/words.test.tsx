import { describe, expect, it } from 'vitest';
import { agoText, attentionCount, valuesText } from './words.ts';
import { summaryOf } from './outbox-fixtures.ts';

describe('export words', () => {
  it('says how long ago in the largest sensible unit', () => {
    const now = new Date('2026-01-14T12:00:00Z');
    expect(agoText('2026-01-14T11:59:20Z', now)).toBe('40 s');
    expect(agoText('2026-01-14T11:48:00Z', now)).toBe('12 min');
    expect(agoText('2026-01-14T08:55:00Z', now)).toBe('3 h 5 min');
    expect(agoText('2026-01-11T12:00:00Z', now)).toBe('3 days');
    expect(agoText('not a time', now)).toBe('');
  });

  it('counts failed and dead rows over all targets', () => {
    expect(attentionCount([summaryOf('a', { failed: 2, dead: 1, pending: 9 }), summaryOf('b', { dead: 4, done: 7 })])).toBe(7);
    expect(attentionCount([])).toBe(0);
  });

  it('shortens long value lists', () => {
    expect(valuesText(['a 1', 'b 2'])).toBe('a 1, b 2');
    expect(valuesText(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
    expect(valuesText([])).toBe('—');
  });
});
