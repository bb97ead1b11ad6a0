import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type { ExportTargetInput } from '../../shared/export/targets.ts';
import { READINGS } from '../../test/helpers/export-items.ts';
import { addTargets, confirmAll, exportWorkflow } from '../../test/helpers/export-fixtures.ts';
import { useTempStore } from '../../test/helpers/store-fixtures.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import type { HubWorkflow } from '../workflow/hub-workflow.ts';
import { backoffMs } from './backoff.ts';
import { ExportService } from './export-service.ts';
import { exportContentError, type ExportItem, type Exporter, type RenderedPayload, type SendOutcome } from './exporter.ts';
import { MemorySecretStore } from './secret-store.ts';

/**
 * The outbox and its worker over a real SQLite store. The exporter here is a scripted one behind
 * the Exporter interface: these tests are about order, state, retries and durability; the real
 * exporters are tested against real FHIR and HL7 peers in test/export-*.test.ts.
 */
class ScriptedExporter implements Exporter {
  readonly kind = 'file' as const;
  readonly rendered: string[] = [];
  readonly sent: Array<{ body: string; controlId: string }> = [];
  /** Outcomes to answer, in order; `done` once they run out. */
  script: Array<SendOutcome['result']> = [];
  invalid = new Set<string>();
  closed = 0;

  async render(item: ExportItem): Promise<RenderedPayload> {
    this.rendered.push(item.readingId);
    if (this.invalid.has(item.readingId)) throw exportContentError('The message is not valid', ['OBX-6 unit missing']);
    return { body: `${item.controlId}|${item.readingId}|${item.patient.mrn}|${item.confirmedBy.name}`, contentType: 'text/plain' };
  }

  async send(payload: RenderedPayload, ctx: { controlId: string }): Promise<SendOutcome> {
    this.sent.push({ body: payload.body, controlId: ctx.controlId });
    const result = this.script.shift() ?? 'done';
    if (result === 'done') return { result, status: 'AA', response: 'MSA|AA' };
    return { result, status: result === 'retry' ? 'AR' : 'AE', response: `MSA|${result === 'retry' ? 'AR' : 'AE'}|x|receiver says no`, message: 'receiver says no' };
  }

  async test(): Promise<{ ok: boolean; message: string }> {
    return { ok: true, message: 'fine' };
  }

  async close(): Promise<void> {
    this.closed += 1;
  }
}

const FILE_TARGET = (id: string, enabled = true): ExportTargetInput => ({ id, name: `Target ${id}`, kind: 'file', directory: '/tmp/none', enabled, retry: { baseMs: 1000, maxMs: 60_000 } });

let store: HubDatabase;
let file: string;
let wf: HubWorkflow;
let now: number;
useTempStore((opened) => {
  store = opened.store;
  file = opened.store.file;
  now = Date.parse('2026-11-27T09:00:00Z');
  wf = exportWorkflow(store, () => now);
});

function service(exporters: Map<string, ScriptedExporter>, secrets = new MemorySecretStore()): ExportService {
  return new ExportService({
    tables: store,
    workflow: wf,
    secrets,
    now: () => now,
    random: () => 0, // back-off at its lower bound: predictable times
    pollMs: 50,
    createExporter: (target) => {
      const e = exporters.get(target.id) ?? new ScriptedExporter();
      exporters.set(target.id, e);
      return e;
    },
  });
}

const rowsOf = (targetId: string) =>
  store.db
    .prepare<[string], { id: number; reading_id: string; control_id: string; state: string; attempts: number; payload: string | null; last_message: string | null; next_attempt_at: string | null }>(
      'SELECT id, reading_id, control_id, state, attempts, payload, last_message, next_attempt_at FROM outbox WHERE target_id = ? ORDER BY id',
    )
    .all(targetId);

describe('confirmation queues the export', () => {
  // safety: SR-EXPORT-1
  it('writes one row per enabled target in the confirmation, with a control id minted before any send', () => {
    addTargets(store, [FILE_TARGET('ehr'), FILE_TARGET('backup'), FILE_TARGET('off', false)]);
    const [id] = confirmAll(wf, store, [READINGS.glucose]);
    const rows = store.db.prepare<[], { target_id: string; control_id: string; state: string }>('SELECT target_id, control_id, state FROM outbox ORDER BY target_id').all();
    expect(rows.map((r) => [r.target_id, r.state])).toEqual([
      ['backup', 'pending'],
      ['ehr', 'pending'],
    ]);
    for (const r of rows) expect(r.control_id).toMatch(/^P[A-Z2-7]{19}$/);
    expect(new Set(rows.map((r) => r.control_id)).size).toBe(2);
    // The review item says where it stands, per target.
    expect(wf.reviewItem(id ?? '').export?.map((e) => [e.targetId, e.state])).toEqual([
      ['backup', 'pending'],
      ['ehr', 'pending'],
    ]);
  });

  // safety: SR-CONFIRM-2
  it('queues nothing for a rejected reading, and the database refuses an outbox row for one', () => {
    addTargets(store, [FILE_TARGET('ehr')]);
    const { id } = store.readings.ingest({ ...READINGS.glucose, context: { sequence: 'rej-1' } }, []);
    wf.readingArrived(id, READINGS.glucose, { key: 'm:1', label: 'Meter' });
    wf.rejectReading({ readingId: id, reason: 'measurement-error' });
    expect(rowsOf('ehr')).toEqual([]);
    expect(() => store.db.prepare("INSERT INTO outbox (target_id, reading_id, control_id, state, created_at, updated_at) VALUES ('ehr', ?, 'PX', 'pending', 'x', 'x')").run(id)).toThrow(/only confirmed/);
  });

  // safety: SR-CONFIRM-2
  it('queues a manual entry once it is confirmed, not before', () => {
    addTargets(store, [FILE_TARGET('ehr')]);
    const item = wf.enterManual({ code: 'bodyTemperature', value: 37.2, unit: 'Cel' });
    expect(rowsOf('ehr')).toEqual([]);
    wf.confirmReading({ readingId: item.id });
    expect(rowsOf('ehr').map((r) => r.reading_id)).toEqual([item.id]);
  });

  // safety: SR-EXPORT-2
  it('outbox rows are never deleted and a done row never changes', () => {
    addTargets(store, [FILE_TARGET('ehr')]);
    confirmAll(wf, store, [READINGS.glucose]);
    expect(() => store.db.prepare('DELETE FROM outbox').run()).toThrow(/never deleted/);
    store.db.prepare("UPDATE outbox SET state = 'done', payload = 'x', done_at = 'now'").run();
    expect(() => store.db.prepare("UPDATE outbox SET state = 'pending', done_at = NULL").run()).toThrow(/never changes/);
  });
});

describe('the worker', () => {
  it('sends rows in confirmation order, one at a time, and records every attempt with the answer', async () => {
    addTargets(store, [FILE_TARGET('ehr')]);
    const ids = confirmAll(wf, store, [READINGS.glucose, READINGS.temperature, READINGS.ketone]);
    const exporters = new Map<string, ScriptedExporter>();
    const svc = service(exporters);
    svc.start();
    await vi.waitFor(() => expect(rowsOf('ehr').map((r) => r.state)).toEqual(['done', 'done', 'done']));
    await svc.stop();
    const ex = exporters.get('ehr');
    expect(ex?.sent.map((s) => s.body.split('|')[1])).toEqual(ids);
    expect(ex?.sent.every((s, i) => s.controlId === rowsOf('ehr')[i]?.control_id)).toBe(true);
    expect(ex?.sent[0]?.body).toContain('|MRN-20418|Dana Whitfield');
    const row = rowsOf('ehr')[0];
    expect(svc.getOutboxRow({ id: row?.id ?? 0 }).attempts).toEqual([expect.objectContaining({ outcome: 'done', status: 'AA', response: 'MSA|AA' })]);
    expect(wf.reviewItem(ids[0] ?? '').export?.[0]).toMatchObject({ state: 'done', doneAt: expect.any(String) });
    expect(ex?.closed).toBe(1);
  });

  it('pauses while the data folder cannot be written (nothing sent, rows unchanged) and resumes by itself once it can', async () => {
    addTargets(store, [FILE_TARGET('ehr')]);
    confirmAll(wf, store, [READINGS.glucose, READINGS.temperature]);
    const ex = new ScriptedExporter();
    const svc = service(new Map([['ehr', ex]]));
    // docs/architecture.md §7: query_only stands in for a read-only folder (CI runs as root).
    store.db.pragma('query_only = ON');
    svc.start();
    await vi.waitFor(() => expect(svc.summary()[0]?.lastProblem).toMatch(/^Export paused: The data folder .* is read-only/));
    expect(ex.sent).toEqual([]); // never sent while its sending could not be recorded
    expect(rowsOf('ehr').map((r) => [r.state, r.attempts])).toEqual([['pending', 0], ['pending', 0]]);
    store.db.pragma('query_only = OFF');
    await vi.waitFor(() => expect(rowsOf('ehr').map((r) => r.state)).toEqual(['done', 'done']));
    await svc.stop();
    expect(ex.sent).toHaveLength(2);
  });

  it('a failed head waits its back-off, blocks the rows behind it, and is resent with the same bytes', async () => {
    addTargets(store, [FILE_TARGET('ehr')]);
    const [first, second] = confirmAll(wf, store, [READINGS.glucose, READINGS.temperature]);
    const ex = new ScriptedExporter();
    ex.script = ['retry', 'retry'];
    const svc = service(new Map([['ehr', ex]]));
    svc.start();
    await vi.waitFor(() => expect(rowsOf('ehr')[0]).toMatchObject({ state: 'failed', attempts: 1 }));
    // base 1000 ms, random 0 → half of it; the second row has not been touched.
    expect(rowsOf('ehr')[0]?.next_attempt_at).toBe(new Date(now + backoffMs(1, { baseMs: 1000, maxMs: 60_000 }, () => 0)).toISOString());
    expect(rowsOf('ehr')[1]).toMatchObject({ state: 'pending', attempts: 0, payload: null });
    now += 600;
    await vi.waitFor(() => expect(rowsOf('ehr')[0]).toMatchObject({ state: 'failed', attempts: 2 }));
    now += 60_000;
    await vi.waitFor(() => expect(rowsOf('ehr').map((r) => r.state)).toEqual(['done', 'done']));
    await svc.stop();
    expect(ex.rendered).toEqual([first, second]); // rendered once each
    const bodies = ex.sent.map((s) => s.body);
    expect(bodies.slice(0, 3)).toEqual([bodies[0], bodies[0], bodies[0]]);
    expect(svc.getOutboxRow({ id: rowsOf('ehr')[0]?.id ?? 0 }).attempts.map((a) => a.outcome)).toEqual(['retry', 'retry', 'done']);
  });

  it('a dead row (receiver refused the content) stays for a person and the queue goes on', async () => {
    addTargets(store, [FILE_TARGET('ehr')]);
    confirmAll(wf, store, [READINGS.glucose, READINGS.temperature]);
    const ex = new ScriptedExporter();
    ex.script = ['dead'];
    const svc = service(new Map([['ehr', ex]]));
    svc.start();
    await vi.waitFor(() => expect(rowsOf('ehr').map((r) => r.state)).toEqual(['dead', 'done']));
    expect(rowsOf('ehr')[0]?.last_message).toBe('receiver says no');
    expect(svc.summary()[0]?.counts).toEqual({ pending: 0, sending: 0, done: 1, failed: 0, dead: 1 });
    // Requeue after the fix: built again, with a new control id, and sent.
    const old = rowsOf('ehr')[0];
    expect(svc.requeueExport({ ids: [old?.id ?? 0] })).toEqual({ count: 1 });
    await vi.waitFor(() => expect(rowsOf('ehr')[0]?.state).toBe('done'));
    await svc.stop();
    expect(rowsOf('ehr')[0]?.control_id).not.toBe(old?.control_id);
    expect(ex.rendered.length).toBe(3);
    expect(wf.listAudit({ limit: 10 }).map((a) => a.action)).toContain('export.requeue');
  });

  it('content that fails validation is never sent: dead with the reason', async () => {
    addTargets(store, [FILE_TARGET('ehr')]);
    const [bad] = confirmAll(wf, store, [READINGS.glucose, READINGS.temperature]);
    const ex = new ScriptedExporter();
    ex.invalid.add(bad ?? '');
    const svc = service(new Map([['ehr', ex]]));
    svc.start();
    await vi.waitFor(() => expect(rowsOf('ehr').map((r) => r.state)).toEqual(['dead', 'done']));
    await svc.stop();
    expect(ex.sent.map((s) => s.body.split('|')[1])).not.toContain(bad);
    expect(rowsOf('ehr')[0]).toMatchObject({ payload: null, last_message: 'The message is not valid: OBX-6 unit missing' });
    expect(svc.getOutboxRow({ id: rowsOf('ehr')[0]?.id ?? 0 }).attempts).toEqual([expect.objectContaining({ outcome: 'dead', status: 'invalid' })]);
  });

  // safety: SR-EXPORT-1
  it('after a crash mid-send the same bytes go out again, without rendering anew', async () => {
    addTargets(store, [FILE_TARGET('ehr')]);
    confirmAll(wf, store, [READINGS.glucose]);
    const row = rowsOf('ehr')[0];
    // What a killed process leaves: the payload committed with `sending`, no answer recorded.
    store.transaction(() => store.outbox.startSending(row?.id ?? 0, new Date(now).toISOString(), { body: 'the bytes sent before the crash', contentType: 'text/plain' }));
    const ex = new ScriptedExporter();
    const svc = service(new Map([['ehr', ex]]));
    svc.start();
    await vi.waitFor(() => expect(rowsOf('ehr')[0]?.state).toBe('done'));
    await svc.stop();
    expect(ex.rendered).toEqual([]);
    expect(ex.sent).toEqual([{ body: 'the bytes sent before the crash', controlId: row?.control_id }]);
  });

  it('retry now skips the back-off of failed rows', async () => {
    addTargets(store, [FILE_TARGET('ehr')]);
    confirmAll(wf, store, [READINGS.glucose]);
    const ex = new ScriptedExporter();
    ex.script = ['retry'];
    const svc = service(new Map([['ehr', ex]]));
    svc.start();
    await vi.waitFor(() => expect(rowsOf('ehr')[0]?.state).toBe('failed'));
    expect(svc.retryExport({ targetId: 'ehr' })).toEqual({ count: 1 });
    await vi.waitFor(() => expect(rowsOf('ehr')[0]?.state).toBe('done'));
    await svc.stop();
    expect(() => svc.retryExport({})).toThrow(/either/);
  });
});

describe('targets', () => {
  it('keeps the bearer token out of the database and audits the change without it', async () => {
    const secrets = new MemorySecretStore();
    const svc = service(new Map(), secrets);
    const token = 'tok-9f8e7d6c5b4a39281706';
    const view = await svc.saveExportTarget({
      target: { id: 'ehr', name: 'EHR', kind: 'fhir', baseUrl: 'https://ehr.example.org/fhir', patientIdentifierSystem: 'urn:oid:1.2.3', auth: { type: 'bearer' } },
      secret: token,
    });
    expect(view).toMatchObject({ hasSecret: true, target: { id: 'ehr', auth: { type: 'bearer' }, timeoutMs: 30_000 } });
    expect(secrets.get('export-target:ehr')).toBe(token);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(file).includes(token)).toBe(false);
    expect(JSON.stringify(wf.listAudit({ limit: 5 }))).not.toContain(token);
    expect(wf.listAudit({ limit: 5 }).map((a) => a.action)).toContain('export.target-add');
    // Saving again without a secret keeps it; null removes it.
    expect((await svc.saveExportTarget({ target: { ...view.target, name: 'EHR 2' } })).hasSecret).toBe(true);
    expect((await svc.saveExportTarget({ target: view.target, secret: null })).hasSecret).toBe(false);
    expect(secrets.get('export-target:ehr')).toBeUndefined();
  });

  it('refuses invalid settings with every problem named, and a change of kind', async () => {
    const svc = service(new Map());
    await expect(svc.saveExportTarget({ target: { id: 'ehr', name: 'EHR', kind: 'fhir', baseUrl: 'http://ehr.example.org/fhir', patientIdentifierSystem: 'urn:x' } })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringContaining('https'),
    });
    await svc.saveExportTarget({ target: FILE_TARGET('ehr') });
    await expect(svc.saveExportTarget({ target: { id: 'ehr', name: 'EHR', kind: 'hl7', host: 'ehr', port: 2575 } })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('back-off', () => {
  it('doubles up to the cap, with jitter between half and all of it', () => {
    const r = { baseMs: 1000, maxMs: 10_000 };
    expect([1, 2, 3, 4, 5, 50].map((n) => backoffMs(n, r, () => 0.999999))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(backoffMs(3, r, () => 0)).toBe(2000);
  });
});
