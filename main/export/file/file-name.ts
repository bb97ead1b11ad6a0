import type { FileFormat } from '../../../shared/export/targets.ts';

/**
 * Export file names: stable per reading, so a rerun lands on the same name (and is recognised as
 * a rerun), and free of patient identifiers, because file names show up in listings, logs and
 * backups that are not protected like the files' content.
 */

const FILE_EXTENSIONS: Readonly<Record<FileFormat, string>> = { ndjson: 'ndjson', csv: 'csv', 'fhir-bundle': 'json' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `pochub-<YYYYMMDD>-<readingId>.<ext>`. The date is the calendar date of the effective time as
 * the reading states it (its own offset), so the name does not depend on this machine's zone.
 */
export function exportFileName(effectiveTime: string, readingId: string, format: FileFormat): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T/.exec(effectiveTime);
  if (!m) throw new Error(`effective time ${effectiveTime} has no date`);
  // The reading id becomes part of a path: only a UUID may go there.
  if (!UUID.test(readingId)) throw new Error(`reading id ${readingId} is not a UUID`);
  return `pochub-${m[1]}${m[2]}${m[3]}-${readingId.toLowerCase()}.${FILE_EXTENSIONS[format]}`;
}
