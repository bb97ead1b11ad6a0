import { randomBytes } from 'node:crypto';
import { open, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileFormat, FileTarget } from '../../../shared/export/targets.ts';
import type { Exporter, ExporterDeps, ExportItem, RenderedPayload, SendOutcome } from '../exporter.ts';
import { renderFhir } from '../fhir/fhir-exporter.ts';
import { describeWriteError, writeOnce } from './atomic-write.ts';
import { parseCsv, renderCsv } from './csv.ts';
import { exportFileName } from './file-name.ts';
import { renderNdjson } from './ndjson.ts';

/**
 * The file exporter: one file per confirmed reading in a folder (a shared drive the EHR imports
 * from, or a USB stick), as NDJSON, CSV or a FHIR transaction Bundle. Exactly-once on a file
 * system means: a stable name per reading, written atomically, and never overwritten.
 */

const CONTENT_TYPES: Readonly<Record<FileFormat, string>> = {
  ndjson: 'application/x-ndjson',
  csv: 'text/csv; charset=utf-8; header=present',
  'fhir-bundle': 'application/fhir+json',
};

function formatOf(contentType: string): FileFormat | undefined {
  return (Object.keys(CONTENT_TYPES) as FileFormat[]).find((f) => CONTENT_TYPES[f] === contentType);
}

/**
 * The effective time recorded in a rendered payload. `send` gets only the bytes and the reading
 * id, and the file name needs the date; reading it back from the payload (rather than from the
 * target's current format) keeps rows rendered before a format change working.
 */
function effectiveTimeOf(format: FileFormat, body: string): string | undefined {
  if (format === 'ndjson') {
    const line = JSON.parse(body) as { reading?: { effectiveTime?: unknown } };
    return typeof line.reading?.effectiveTime === 'string' ? line.reading.effectiveTime : undefined;
  }
  if (format === 'csv') {
    const [header, first] = parseCsv(body);
    const cell = first?.[header?.indexOf('effective_time') ?? -1];
    return cell === undefined ? undefined : cell.replace(/^'/, '');
  }
  const bundle = JSON.parse(body) as { entry?: { resource?: { resourceType?: string; effectiveDateTime?: unknown } }[] };
  const obs = bundle.entry?.find((e) => e.resource?.resourceType === 'Observation' && typeof e.resource.effectiveDateTime === 'string');
  return obs?.resource?.effectiveDateTime as string | undefined;
}

function renderAs(format: FileFormat, item: ExportItem, patientIdentifierSystem: string): string {
  switch (format) {
    case 'ndjson':
      return renderNdjson(item);
    case 'csv':
      return renderCsv(item);
    case 'fhir-bundle':
      return renderFhir(item, patientIdentifierSystem).body;
  }
}

export function createFileExporter(target: FileTarget, _deps: ExporterDeps): Exporter {
  const dir = target.directory;
  return {
    kind: 'file',
    async render(item): Promise<RenderedPayload> {
      // The fhir-bundle format goes through the same build + validation gate as the FHIR target.
      return { body: renderAs(target.format, item, target.patientIdentifierSystem), contentType: CONTENT_TYPES[target.format] };
    },
    async send(payload, ctx): Promise<SendOutcome> {
      const format = formatOf(payload.contentType);
      const effective = format ? effectiveTimeOf(format, payload.body) : undefined;
      if (!format || !effective) throw new Error(`file payload of reading ${ctx.readingId} has no known format or effective time (${payload.contentType})`);
      const name = exportFileName(effective, ctx.readingId, format);
      try {
        const result = await writeOnce(dir, name, Buffer.from(payload.body, 'utf8'));
        if (result === 'different') {
          return {
            result: 'dead',
            status: 'EEXIST',
            response: join(dir, name),
            message: `${name} already exists in ${dir} with different content: it was left untouched. Check which export is right by hand`,
          };
        }
        return { result: 'done', status: result === 'written' ? 'written' : 'already written', response: join(dir, name) };
      } catch (e) {
        const { code, message } = describeWriteError(dir, e);
        return { result: 'retry', status: code, response: '', message };
      }
    },
    async test() {
      try {
        const s = await stat(dir);
        if (!s.isDirectory()) return { ok: false, message: `${dir} is a file, not a folder.` };
        const probe = join(dir, `.pochub-probe-${randomBytes(6).toString('hex')}`);
        const fd = await open(probe, 'wx');
        await fd.close();
        await unlink(probe);
        return { ok: true, message: `The folder ${dir} exists and the hub can write to it.` };
      } catch (e) {
        return { ok: false, message: `${describeWriteError(dir, e).message}.` };
      }
    },
    async close() {
      // Nothing stays open between sends.
    },
  };
}
