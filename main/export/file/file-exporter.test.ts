import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle } from '@medplum/fhirtypes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Exporter, ExportItem, SendOutcome } from '../exporter.ts';
import { parseCsv } from './csv.ts';
import { createFileExporter } from './file-exporter.ts';
import { CATALOG } from '../../../shared/catalog.ts';
import { FileTargetSchema, type FileFormat, type FileTarget } from '../../../shared/export/targets.ts';
import { exportItem, READINGS } from '../../../test/helpers/export-items.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pochub-file-'));
});
afterEach(() => {
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

function fileTarget(format: FileFormat, directory = dir): FileTarget {
  return FileTargetSchema.parse({ id: 'share', name: 'Share', kind: 'file', directory, format }) as FileTarget;
}

async function deliver(exporter: Exporter, item: ExportItem): Promise<SendOutcome> {
  const payload = await exporter.render(item);
  return exporter.send(payload, { controlId: item.controlId, readingId: item.readingId, signal: new AbortController().signal });
}

/** Root ignores permission bits, so the unwritable-folder test needs another folder then. */
const isRoot = process.getuid?.() === 0;

describe('file exporter (real temp folders)', () => {
  it('writes NDJSON: one line with the patient, the confirmation and the Reading JSON', async () => {
    const item = exportItem(READINGS.glucose);
    const outcome = await deliver(createFileExporter(fileTarget('ndjson'), {}), item);
    const name = `pochub-20261127-${item.readingId}.ndjson`;
    expect(outcome).toMatchObject({ result: 'done', status: 'written', response: join(dir, name) });
    expect(readdirSync(dir)).toEqual([name]);
    const text = readFileSync(join(dir, name), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(text)).toEqual({
      readingId: item.readingId,
      patient: item.patient,
      confirmedBy: item.confirmedBy,
      confirmedAt: item.confirmedAt,
      manual: false,
      reading: item.reading,
    });
    expect(name).not.toContain(item.patient.mrn);
  });

  it('writes CSV: a header and one row per observation, blood pressure components flattened', async () => {
    const item = exportItem(READINGS.bloodPressure);
    expect((await deliver(createFileExporter(fileTarget('csv'), {}), item)).result).toBe('done');
    const rows = parseCsv(readFileSync(join(dir, `pochub-20261127-${item.readingId}.csv`), 'utf8'));
    const [header, ...data] = rows;
    expect(header?.slice(0, 4)).toEqual(['reading_id', 'mrn', 'effective_time', 'panel']);
    const col = (name: string): number => header?.indexOf(name) ?? -1;
    expect(data.map((r) => r[col('loinc')])).toEqual([CATALOG.bpSystolic.loinc, CATALOG.bpDiastolic.loinc, CATALOG.bpMean.loinc, CATALOG.pulseRateNibp.loinc]);
    expect(data.map((r) => r[col('panel')])).toEqual([CATALOG.bpPanel.loinc, CATALOG.bpPanel.loinc, CATALOG.bpPanel.loinc, '']);
    expect(data[0]?.[col('value')]).toBe('128');
    expect(data[0]?.[col('unit')]).toBe('mm[Hg]');
    expect(data[0]?.[col('mrn')]).toBe('MRN-20418');
  });

  it('CSV quotes per RFC 4180 and defuses spreadsheet formulas', async () => {
    const item = exportItem(
      { ...READINGS.glucoseHigh, device: { manufacturer: '=HYPERLINK("http://x")', model: 'A, "B"', serial: '@SUM(1)' } },
      { confirmedBy: { id: 'op-9', name: '+Evil -Nurse' }, patient: { mrn: '-42' } },
    );
    expect((await deliver(createFileExporter(fileTarget('csv'), {}), item)).result).toBe('done');
    const text = readFileSync(join(dir, `pochub-20261127-${item.readingId}.csv`), 'utf8');
    expect(text).toContain('"\'=HYPERLINK(""http://x"") A, ""B"""');
    const [header, row] = parseCsv(text);
    const col = (name: string): number => header?.indexOf(name) ?? -1;
    expect(row?.[col('serial')]).toBe("'@SUM(1)");
    expect(row?.[col('confirmed_by')]).toBe("'+Evil -Nurse");
    expect(row?.[col('comparator')]).toBe('>');
    // A plain negative number is data, not a formula.
    expect(row?.[col('mrn')]).toBe('-42');
    for (const cell of row ?? []) expect(cell).not.toMatch(/^[=+@]/);
  });

  it('writes a FHIR bundle file through the same builder and validation', async () => {
    const item = exportItem(READINGS.urineStrip);
    expect((await deliver(createFileExporter(fileTarget('fhir-bundle'), {}), item)).result).toBe('done');
    const bundle = JSON.parse(readFileSync(join(dir, `pochub-20261127-${item.readingId}.json`), 'utf8')) as Bundle;
    expect(bundle.type).toBe('transaction');
    expect(bundle.entry?.filter((e) => e.resource?.resourceType === 'Observation')).toHaveLength(13);
  });

  it('leaves no temp file behind, and a rerun is done with still one file', async () => {
    const exporter = createFileExporter(fileTarget('ndjson'), {});
    const item = exportItem(READINGS.temperature);
    const payload = await exporter.render(item);
    const ctx = { controlId: item.controlId, readingId: item.readingId, signal: new AbortController().signal };
    expect((await exporter.send(payload, ctx)).status).toBe('written');
    expect(await exporter.send(payload, ctx)).toMatchObject({ result: 'done', status: 'already written' });
    expect(readdirSync(dir)).toEqual([`pochub-20261127-${item.readingId}.ndjson`]);
  });

  it('never overwrites a different file of the same name: dead, original untouched', async () => {
    const item = exportItem(READINGS.temperature);
    const name = `pochub-20261127-${item.readingId}.ndjson`;
    writeFileSync(join(dir, name), 'someone else\n');
    const outcome = await deliver(createFileExporter(fileTarget('ndjson'), {}), item);
    expect(outcome).toMatchObject({ result: 'dead', status: 'EEXIST' });
    expect(outcome.result === 'dead' && outcome.message).toMatch(/different content/);
    expect(readFileSync(join(dir, name), 'utf8')).toBe('someone else\n');
    expect(readdirSync(dir)).toEqual([name]);
  });

  it('retries with a clear message when the folder is missing', async () => {
    const exporter = createFileExporter(fileTarget('csv', join(dir, 'not-mounted')), {});
    const outcome = await deliver(exporter, exportItem(READINGS.glucose));
    expect(outcome).toMatchObject({ result: 'retry', status: 'ENOENT' });
    expect(outcome.result === 'retry' && outcome.message).toMatch(/does not exist/);
    const tested = await exporter.test(new AbortController().signal);
    expect(tested.ok).toBe(false);
    expect(tested.message).toMatch(/does not exist/);
  });

  it('retries when the folder is not writable', async () => {
    // Root ignores mode bits; /sys refuses new files even to root on Linux.
    const unwritable = isRoot ? '/sys' : dir;
    if (!isRoot) chmodSync(dir, 0o500);
    const outcome = await deliver(createFileExporter(fileTarget('ndjson', unwritable), {}), exportItem(READINGS.glucose));
    expect(outcome).toMatchObject({ result: 'retry', status: 'EACCES' });
    expect(outcome.result === 'retry' && outcome.message).toMatch(/not allowed to write/);
  });

  it('retries when the target "folder" is a file', async () => {
    writeFileSync(join(dir, 'plain'), 'x');
    const outcome = await deliver(createFileExporter(fileTarget('ndjson', join(dir, 'plain')), {}), exportItem(READINGS.glucose));
    expect(outcome).toMatchObject({ result: 'retry', status: 'ENOTDIR' });
  });

  it('test() writes and removes a probe file', async () => {
    const result = await createFileExporter(fileTarget('ndjson'), {}).test(new AbortController().signal);
    expect(result).toEqual({ ok: true, message: `The folder ${dir} exists and the hub can write to it.` });
    expect(readdirSync(dir)).toEqual([]);
  });
});
