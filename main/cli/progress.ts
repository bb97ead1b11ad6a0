import type { Io } from './io.ts';

/** `[██████░░░░░░░░░░░░░░]  23/50 records` — a download's progress as one line. */
export function formatProgress(done: number, total: number | undefined, width = 24): string {
  if (total === undefined || total <= 0) return `${done} record${done === 1 ? '' : 's'}`;
  const shown = Math.min(done, total);
  const filled = Math.round((shown / total) * width);
  const count = `${String(shown).padStart(String(total).length)}/${total}`;
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${count} records`;
}

/**
 * A progress bar on standard error, redrawn in place, only when standard error is a terminal
 * (so scripts and `--json` pipelines get clean output). `done()` clears it.
 */
export class ProgressBar {
  private visible = false;
  constructor(private readonly io: Io, private readonly write: (text: string) => void) {}

  update(done: number, total?: number): void {
    if (!this.io.errIsTty) return;
    this.write(`\r${formatProgress(done, total)}\x1b[K`);
    this.visible = true;
  }

  /** Remove the bar before other lines are written below it. */
  clear(): void {
    if (!this.visible) return;
    this.write('\r\x1b[K');
    this.visible = false;
  }
}

/** "2 h 5 min", "40 s": a clock difference in words. */
export function formatDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  if (d >= 2) return `${d} days`;
  return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
}
