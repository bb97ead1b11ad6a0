import { describe, expect, it } from 'vitest';
import type { ExportTarget, ExportTargetInput } from '../../shared/export/targets.ts';
import { READINGS } from '../../test/helpers/export-items.ts';
import { addTargets, confirmAll, exportWorkflow } from '../../test/helpers/export-fixtures.ts';
import { useTempStore } from '../../test/helpers/store-fixtures.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { ExportService } from './export-service.ts';
import type { Exporter, SendOutcome } from './exporter.ts';
import { MemorySecretStore } from './secret-store.ts';

/**
 * Demo mode never sends to a target set up for real patients (docs/architecture.md §8, demo
 * mode): such a target gets no worker, no outbox rows, and cannot be enabled or tested from demo.
 */

class SendingExporter implements Exporter {
  readonly kind = 'file' as const;
  readonly sent: string[] = [];
  constructor(readonly target: ExportTarget) {}
  async render(item: { readingId: string }): Promise<{ body: string; contentType: string }> {
    return { body: item.readingId, contentType: 'text/plain' };
  }
  async send(payload: { body: string }): Promise<SendOutcome> {
    this.sent.push(payload.body);
    return { result: 'done', status: 'ok', response: 'stored' };
  }
  async test(): Promise<{ ok: boolean; message: string }> {
    return { ok: true, message: 'reached' };
  }
  async close(): Promise<void> {}
}

const FILE_TARGET = (id: string, enabled = true): ExportTargetInput => ({ id, name: `Target ${id}`, kind: 'file', directory: `/tmp/${id}`, enabled });

let store: HubDatabase;
useTempStore((opened) => {
  store = opened.store;
});

function demoService(built: SendingExporter[]): ExportService {
  return new ExportService({
    tables: store,
    workflow: exportWorkflow(store),
    secrets: new MemorySecretStore(),
    pollMs: 50,
    targetsPollMs: 50,
    demo: true,
    createExporter: (target) => {
      const exporter = new SendingExporter(target);
      built.push(exporter);
      return exporter;
    },
  });
}

describe('export in demo mode', () => {
  // safety: SR-DEMO-1
  it('sends only to targets demo mode created: a real target gets no worker, no rows and nothing sent', async () => {
    addTargets(store, [FILE_TARGET('ehr-real')]);
    // What createHub does in demo mode: confirmations queue rows for demo targets only.
    store.targets.demoOnly = true;
    const built: SendingExporter[] = [];
    const service = demoService(built);
    service.start();
    try {
      await service.saveExportTarget({ target: FILE_TARGET('demo-files') });
      expect(store.targets.get('demo-files')?.demo).toBe(true);
      expect(store.targets.get('ehr-real')?.demo).toBe(false);
      const [id] = confirmAll(exportWorkflow(store), store, [READINGS.glucose]);
      await expect.poll(() => built.find((e) => e.target.id === 'demo-files')?.sent).toEqual([id]);
      expect(built.map((e) => e.target.id)).toEqual(['demo-files']);
      expect(service.rows({ targetId: 'ehr-real' })).toEqual([]);
      expect(service.rows({ targetId: 'demo-files' }).map((r) => r.readingId)).toEqual([id]);
    } finally {
      await service.stop();
    }
  });

  it('refuses to enable, test or back-fill a real target, in words', async () => {
    addTargets(store, [FILE_TARGET('ehr-real', false)]);
    const service = demoService([]);
    const refusal = await service.saveExportTarget({ target: FILE_TARGET('ehr-real', true) }).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'CONFLICT', message: 'The hub runs in demo mode: it does not enable Target ehr-real, which was set up for real patients.' });
    expect(store.targets.get('ehr-real')?.target.enabled).toBe(false);
    await expect(service.testExportTarget({ targetId: 'ehr-real' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(() => service.backfill({ targetId: 'ehr-real', since: '2026-01-01T00:00:00Z' })).toThrow(/demo mode/);
    // Saving it disabled (a rename) is harmless and allowed; it stays a real target.
    await service.saveExportTarget({ target: { ...FILE_TARGET('ehr-real', false), name: 'EHR (real)' } });
    expect(store.targets.get('ehr-real')).toMatchObject({ demo: false, target: { name: 'EHR (real)', enabled: false } });
  });

  it('outside demo mode every enabled target is queued and sent, demo or not', () => {
    addTargets(store, [FILE_TARGET('ehr-real'), FILE_TARGET('zz-other')]);
    expect(store.targets.enabledIds()).toEqual(['ehr-real', 'zz-other']);
    store.targets.demoOnly = true;
    expect(store.targets.enabledIds()).toEqual([]);
  });
});
