/** Small statistics helpers for the benchmarks. Nothing here asserts anything about time. */

/** The value at quantile `q` (0…1) of `values`, nearest-rank; NaN for an empty list. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A latency distribution in milliseconds. */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  minMs: number;
  meanMs: number;
}

export function summarize(samplesMs: readonly number[]): LatencySummary {
  const n = samplesMs.length;
  return {
    count: n,
    p50Ms: percentile(samplesMs, 0.5),
    p99Ms: percentile(samplesMs, 0.99),
    maxMs: n === 0 ? Number.NaN : Math.max(...samplesMs),
    minMs: n === 0 ? Number.NaN : Math.min(...samplesMs),
    meanMs: n === 0 ? Number.NaN : samplesMs.reduce((a, b) => a + b, 0) / n,
  };
}

/** Fixed decimals, NaN shown as a dash. */
export function fmt(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

/** A plain text table: first row is the header; columns after the first are right-aligned. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const line = (row: readonly string[]): string =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const [head, ...body] = rows;
  if (!head) return '';
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(head), rule, ...body.map(line)].join('\n');
}
