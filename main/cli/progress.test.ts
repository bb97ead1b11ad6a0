import { describe, expect, it } from 'vitest';
import { ProgressBar, formatDuration, formatProgress } from './progress.ts';

describe('download progress on the command line', () => {
  it('draws a bar with the count of records', () => {
    expect(formatProgress(0, 50, 10)).toBe('[░░░░░░░░░░]  0/50 records');
    expect(formatProgress(25, 50, 10)).toBe('[█████░░░░░] 25/50 records');
    expect(formatProgress(50, 50, 10)).toBe('[██████████] 50/50 records');
    expect(formatProgress(3, undefined)).toBe('3 records');
  });

  it('draws only on a terminal, and clears itself before other lines', () => {
    const drawn: string[] = [];
    const quiet = new ProgressBar({ out: () => undefined, err: () => undefined, errIsTty: false }, (t) => drawn.push(t));
    quiet.update(1, 2);
    expect(drawn).toEqual([]);
    const tty = new ProgressBar({ out: () => undefined, err: () => undefined, errIsTty: true }, (t) => drawn.push(t));
    tty.update(1, 2);
    tty.clear();
    tty.clear();
    expect(drawn).toHaveLength(2);
    expect(drawn[0]).toContain('1/2 records');
    expect(drawn[1]).toBe('\r\x1b[K');
  });

  it('says how far a clock is off in words', () => {
    expect(formatDuration(40_000)).toBe('40 s');
    expect(formatDuration(-7 * 60_000)).toBe('7 min');
    expect(formatDuration(2 * 3600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86400_000)).toBe('3 days');
  });
});
