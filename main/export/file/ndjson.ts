import type { ExportItem } from '../exporter.ts';

/**
 * NDJSON export: one line per reading with who it was for, who confirmed it and the Reading
 * JSON exactly as the device produced it, so a downstream script sees the same data as
 * `pochub replay` and the API (a quantity's `decimals` field says how it was printed).
 */
export function renderNdjson(item: ExportItem): string {
  const line = {
    readingId: item.readingId,
    patient: item.patient,
    confirmedBy: item.confirmedBy,
    confirmedAt: item.confirmedAt,
    manual: item.manual,
    reading: item.reading,
  };
  return `${JSON.stringify(line)}\n`;
}
