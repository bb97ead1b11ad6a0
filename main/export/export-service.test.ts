import { afterEach, describe, expect, it } from 'vitest';
import type { ExportTarget, ExportTargetInput } from '../../shared/export/targets.ts';
import { READINGS } from '../../test/helpers/export-items.ts';
import { confirmAll, exportWorkflow } from '../../test/helpers/export-fixtures.ts';
import { useTempStore } from '../../test/helpers/store-fixtures.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { openStore } from '../store/open-store.ts';
import { ExportService } from './export-service.ts';
import type { ExportItem, Exporter, RenderedPayload, SendOutcome } from './exporter.ts';
import { MemorySecretStore } from './secret-store.ts';

/**
 * Two processes on one data folder: one exports (`pochub serve`), the other changes the targets
 * (`pochub export set-target`, or serve's API while `pochub export run` exports). Each has its own
 * connection to the same SQLite file here, as the two processes would.
 */

/** An exporter that records what it was built from and what it sent. */
class RecordingExporter implements Exporter {
  readonly kind = 'file' as const;
  readonly sent: string[] = [];
  closed = false;
  constructor(readonly target: ExportTarget) {}
  async render(item: ExportItem): Promise<RenderedPayload> {
    return { body: item.readingId, contentType: 'text/plain' };
  }
  async send(payload: RenderedPayload): Promise<SendOutcome> {
    this.sent.push(payload.body);
    return { result: 'done', status: 'ok', response: 'stored' };
  }
  async test(): Promise<{ ok: boolean; message: string }> {
    return { ok: true, message: 'fine' };
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const FILE_TARGET = (id: string, directory: string, enabled = true): ExportTargetInput => ({ id, name: `Target ${id}`, kind: 'file', directory, enabled });

let store: HubDatabase;
useTempStore((opened) => {
  store = opened.store;
});

const others: HubDatabase[] = [];
afterEach(() => {
  for (const other of others.splice(0)) other.close();
});

function exportingService(db: HubDatabase, built: RecordingExporter[]): ExportService {
  return new ExportService({
    tables: db,
    workflow: exportWorkflow(db),
    secrets: new MemorySecretStore(),
    pollMs: 50,
    targetsPollMs: 50,
    createExporter: (target) => {
      const exporter = new RecordingExporter(target);
      built.push(exporter);
      return exporter;
    },
  });
}

describe('target changes made by another process', () => {
  it('reach the running exporter within its targets poll: a new target exports, an edit rebuilds its exporter, a disable stops it', async () => {
    const built: RecordingExporter[] = [];
    const exporting = exportingService(store, built);
    exporting.start();
    const other = openStore(store.file);
    others.push(other);
    const editor = exportingService(other, []);
    try {
      // Added elsewhere: the running service starts a worker, and a reading confirmed now goes out.
      await editor.saveExportTarget({ target: FILE_TARGET('late', '/tmp/first') });
      await expect.poll(() => built.map((e) => `${e.target.id}:${e.target.kind === 'file' ? e.target.directory : ''}`)).toEqual(['late:/tmp/first']);
      const [first] = confirmAll(exportWorkflow(store), store, [READINGS.glucose]);
      await expect.poll(() => built[0]?.sent).toEqual([first]);

      // Edited elsewhere: the old exporter is closed, a new one built from the new settings sends.
      await editor.saveExportTarget({ target: FILE_TARGET('late', '/tmp/second') });
      await expect.poll(() => built.length).toBe(2);
      expect(built[0]?.closed).toBe(true);
      expect(built[1]?.target).toMatchObject({ id: 'late', directory: '/tmp/second' });
      const [second] = confirmAll(exportWorkflow(store), store, [READINGS.ketone]);
      await expect.poll(() => built[1]?.sent).toEqual([second]);

      // Disabled elsewhere: the worker stops and nothing more is built or sent.
      await editor.saveExportTarget({ target: FILE_TARGET('late', '/tmp/second', false) });
      await expect.poll(() => built[1]?.closed).toBe(true);
      expect(built).toHaveLength(2);
      expect(built[0]?.sent).toEqual([first]);
    } finally {
      await exporting.stop();
    }
  });

  it('a save through the running service itself rebuilds the worker at once, without waiting for the poll', async () => {
    const built: RecordingExporter[] = [];
    const exporting = new ExportService({
      tables: store,
      workflow: exportWorkflow(store),
      secrets: new MemorySecretStore(),
      pollMs: 50,
      targetsPollMs: 3_600_000,
      createExporter: (target) => {
        const exporter = new RecordingExporter(target);
        built.push(exporter);
        return exporter;
      },
    });
    exporting.start();
    try {
      await exporting.saveExportTarget({ target: FILE_TARGET('here', '/tmp/a') });
      expect(built.map((e) => e.target.id)).toEqual(['here']);
      await exporting.saveExportTarget({ target: FILE_TARGET('here', '/tmp/b') });
      expect(built).toHaveLength(2);
      expect(built[0]?.closed).toBe(true);
    } finally {
      await exporting.stop();
    }
    expect(built.every((e) => e.closed)).toBe(true);
  });
});
