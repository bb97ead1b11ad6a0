import type { MethodName, MethodOutput } from '../../shared/api/contract.ts';
import type { MethodHandlers, MethodParsedInput } from '../../shared/api/handlers.ts';
import type { OutboxRow, OutboxSummary, ExportAttempt } from '../../shared/api/model.ts';
import { issueSentence } from '../../shared/api/issue-words.ts';
import { HubError } from '../../shared/errors.ts';
import { SaveTargetInputSchema, type ExportTarget, type ExportTargetView } from '../../shared/export/targets.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import type { OutboxQuery } from '../store/outbox-repo.ts';
import type { TargetRecord } from '../store/export-targets-repo.ts';
import type { HubWorkflow } from '../workflow/hub-workflow.ts';
import type { Exporter, ExporterDeps } from './exporter.ts';
import { OutboxWorker } from './outbox-worker.ts';
import type { SecretStore } from './secret-store.ts';

type CreateExporter = (target: ExportTarget, deps: ExporterDeps) => Exporter;

interface ExportServiceOptions {
  /** The export targets and the outbox, and the transaction that groups a change with its audit row. */
  readonly tables: Pick<HubDatabase, 'targets' | 'outbox' | 'transaction'>;
  /** Audit rows, review changes to wake the workers on, and the review items whose export state moved on. */
  readonly workflow: Pick<HubWorkflow, 'audit' | 'onReviewChange' | 'announce' | 'workstation'>;
  readonly secrets: SecretStore;
  readonly createExporter: CreateExporter;
  readonly now?: () => number;
  readonly random?: () => number;
  /** How often idle workers look at the queue without being woken (default 5 s). */
  readonly pollMs?: number;
  /**
   * How often the running service re-reads the targets (default 2 s), so a target added, edited,
   * enabled or disabled by another process on the same data folder (`pochub export set-target`
   * while `pochub serve` exports, or the reverse) reaches the workers within a few seconds.
   */
  readonly targetsPollMs?: number;
  /** Log a bug in an exporter (default: the worker's, to standard error). */
  readonly reportBug?: (where: string, error: unknown) => void;
  /**
   * Demo mode (docs/architecture.md §8): only targets created in demo mode get a worker, are
   * enabled or tested; targets saved now are created as demo targets.
   */
  readonly demo?: boolean;
}

const secretName = (targetId: string): string => `export-target:${targetId}`;

/** What a running worker was built from: a saved target differs when any of it changed. */
const stampOf = (rec: TargetRecord): string => `${rec.updatedAt}|${rec.hasSecret ? 1 : 0}|${JSON.stringify(rec.target)}`;

const DEFAULT_TARGETS_POLL_MS = 2000;

/**
 * The contract methods ExportService implements; main/api binds exactly these to it. (getOutbox
 * is the summary and the rows together, so main/api writes that one.)
 */
export const EXPORT_METHODS = ['getOutboxRow', 'retryExport', 'requeueExport', 'listExportTargets', 'saveExportTarget', 'testExportTarget'] as const satisfies readonly MethodName[];

/** One of {@link EXPORT_METHODS}. */
export type ExportMethod = (typeof EXPORT_METHODS)[number];

/**
 * Export for one hub (docs/export.md §3): the targets' settings, one {@link OutboxWorker} per enabled
 * target, and what the Outbox screen and `pochub export` show and do. Confirmation itself
 * queues the rows (main/workflow, same transaction); this service only wakes the workers.
 */
export class ExportService implements MethodHandlers<ExportMethod> {
  private readonly workers = new Map<string, { worker: OutboxWorker; stamp: string }>();
  private targetsTimer: ReturnType<typeof setInterval> | undefined;
  /** Target syncs run one after another, each on a fresh read of the targets. */
  private syncChain: Promise<void> = Promise.resolve();
  /** A poll does not queue a second sync behind one still waiting (a stopping worker takes a moment). */
  private pollQueued = false;
  private readonly problems = new Map<string, string>();
  private readonly outboxListeners = new Set<(summary: OutboxSummary[]) => void>();
  private offReview: (() => void) | undefined;
  private summaryQueued = false;
  private running = false;

  constructor(private readonly o: ExportServiceOptions) {}

  /** Whether a saved target gets a worker: enabled and, in demo mode, created by demo mode. */
  private sends(rec: TargetRecord): boolean {
    return rec.target.enabled && (!this.o.demo || rec.demo);
  }

  /** In demo mode, a target set up for real use is neither enabled nor tested nor sent to. */
  private refuseRealTargetInDemo(rec: TargetRecord | undefined, what: string): void {
    if (!this.o.demo || rec === undefined || rec.demo) return;
    throw new HubError('CONFLICT', `The hub runs in demo mode: it does not ${what} ${rec.target.name}, which was set up for real patients.`, {
      details: { targetId: rec.target.id },
    });
  }

  private get tables(): ExportServiceOptions['tables'] {
    return this.o.tables;
  }

  private iso(): string {
    return new Date((this.o.now ?? Date.now)()).toISOString();
  }

  /** Start a worker per enabled target; rows left `sending` by a crash go out again first. */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (const rec of this.tables.targets.list()) if (this.sends(rec)) this.startWorker(rec);
    this.offReview = this.o.workflow.onReviewChange((item) => {
      if (item.state === 'confirmed') this.wakeAll();
    });
    this.targetsTimer = setInterval(() => this.pollTargets(), this.o.targetsPollMs ?? DEFAULT_TARGETS_POLL_MS);
  }

  /**
   * Bring the workers in line with the saved targets: start one for a new or newly enabled
   * target, rebuild one whose settings or secret changed, stop one whose target was disabled or
   * removed. Saves made through this service do this at once; the poll catches other processes.
   */
  syncTargets(): Promise<void> {
    const run = this.syncChain.then(() => this.syncOnce());
    this.syncChain = run.catch(() => undefined);
    return run;
  }

  private pollTargets(): void {
    if (this.pollQueued) return;
    this.pollQueued = true;
    void this.syncTargets().finally(() => (this.pollQueued = false));
  }

  private async syncOnce(): Promise<void> {
    if (!this.running) return;
    let saved: TargetRecord[];
    try {
      saved = this.tables.targets.list();
    } catch (e) {
      this.o.reportBug?.('reading the export targets', e);
      return;
    }
    const wanted = new Map(saved.filter((rec) => this.sends(rec)).map((rec) => [rec.target.id, rec]));
    for (const [id, running] of [...this.workers]) {
      const rec = wanted.get(id);
      if (rec !== undefined && stampOf(rec) === running.stamp) continue;
      this.workers.delete(id);
      this.problems.delete(id);
      await running.worker.stop();
    }
    for (const [id, rec] of wanted) if (this.running && !this.workers.has(id)) this.startWorker(rec);
    this.emitSummary();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.offReview?.();
    if (this.targetsTimer !== undefined) clearInterval(this.targetsTimer);
    this.targetsTimer = undefined;
    await this.syncChain;
    const all = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(all.map((w) => w.worker.stop()));
  }

  onOutboxChange(listener: (summary: OutboxSummary[]) => void): () => void {
    this.outboxListeners.add(listener);
    return () => this.outboxListeners.delete(listener);
  }

  summary(): OutboxSummary[] {
    return this.tables.outbox.summary().map((s) => {
      const problem = this.problems.get(s.targetId);
      return problem === undefined ? s : { ...s, lastProblem: problem };
    });
  }

  rows(query: OutboxQuery): OutboxRow[] {
    return this.tables.outbox.list(query);
  }

  getOutboxRow({ id }: MethodParsedInput<'getOutboxRow'>): { row: OutboxRow; attempts: ExportAttempt[] } {
    const row = this.tables.outbox.get(id);
    if (row === undefined) throw new HubError('NOT_FOUND', `There is no outbox row ${id}.`, { details: { id } });
    return { row, attempts: this.tables.outbox.attempts(id) };
  }

  /** Failed rows: send now. */
  retryExport(input: MethodParsedInput<'retryExport'>): { count: number } {
    if ((input.ids === undefined) === (input.targetId === undefined)) throw new HubError('INPUT_INVALID', 'Give either the rows (ids) or a target (targetId) to retry.');
    const count = this.tables.transaction(() => {
      const n = this.tables.outbox.retryNow(input.ids !== undefined ? { ids: input.ids } : { targetId: input.targetId ?? '' }, this.iso());
      this.o.workflow.audit('export.retry', input.targetId ?? input.ids?.join(','), { count: n });
      return n;
    });
    this.wakeAll();
    this.emitSummary();
    return { count };
  }

  /**
   * Queue for an enabled target the readings confirmed since `since` that it never got (it was
   * added, or enabled, after they were confirmed). Audited; safe to run again.
   */
  backfill(input: { targetId: string; since: string }): number {
    const rec = this.tables.targets.get(input.targetId);
    this.refuseRealTargetInDemo(rec, 'back-fill');
    const target = rec?.target;
    if (!target) throw new HubError('NOT_FOUND', `There is no export target "${input.targetId}".`, { details: { targetId: input.targetId } });
    if (!target.enabled) throw new HubError('CONFLICT', `${target.name} is disabled: enable it first, then back-fill.`, { details: { targetId: input.targetId } });
    const count = this.tables.transaction(() => {
      const n = this.tables.outbox.backfill(input.targetId, input.since, this.iso());
      this.o.workflow.audit('export.backfill', input.targetId, { since: input.since, count: n });
      return n;
    });
    this.wakeAll();
    this.emitSummary();
    return count;
  }

  /** Dead rows back in the queue (built again, new control id). */
  requeueExport({ ids }: MethodParsedInput<'requeueExport'>): { count: number } {
    const count = this.tables.transaction(() => {
      const n = this.tables.outbox.requeue(ids, this.iso());
      this.o.workflow.audit('export.requeue', ids.join(','), { count: n });
      return n;
    });
    this.wakeAll();
    this.emitSummary();
    return { count };
  }

  listExportTargets(): ExportTargetView[] {
    return this.tables.targets.list().map(toView);
  }

  /**
   * Validate and save a target, keep its secret outside the database, restart its worker. The
   * input is parsed here again: `pochub export set-target` passes a file's content unchecked.
   */
  async saveExportTarget(raw: unknown): Promise<ExportTargetView> {
    const parsed = SaveTargetInputSchema.safeParse(raw);
    if (!parsed.success) throw new HubError('INPUT_INVALID', `The export target is not valid: ${parsed.error.issues.map(issueSentence).join(' ')}`);
    const { target, secret } = parsed.data;
    const before = this.tables.targets.get(target.id);
    if (target.enabled) this.refuseRealTargetInDemo(before, 'enable');
    if (secret !== undefined && secret !== null) this.o.secrets.set(secretName(target.id), secret);
    if (secret === null) this.o.secrets.delete(secretName(target.id));
    const hasSecret = secret === undefined ? (before?.hasSecret ?? false) : secret !== null;
    const saved = this.tables.transaction(() => {
      const rec = this.tables.targets.save(target, hasSecret, this.iso(), this.o.demo === true);
      // Settings changes are audited (docs/architecture.md §8 rule 10); the secret itself never is.
      this.o.workflow.audit(before === undefined ? 'export.target-add' : 'export.target-change', target.id, {
        target,
        secret: secret === undefined ? 'unchanged' : secret === null ? 'removed' : 'set',
      });
      return rec;
    });
    this.problems.delete(target.id);
    // The saved record differs from what the target's worker was built from, so the sync
    // rebuilds it (or stops it, when disabled), in turn with any sync a poll started.
    if (this.running) await this.syncTargets();
    this.emitSummary();
    return toView(saved);
  }

  /** "Test connection" for a saved target. */
  async testExportTarget({ targetId }: MethodParsedInput<'testExportTarget'>): Promise<MethodOutput<'testExportTarget'>> {
    const rec = this.tables.targets.get(targetId);
    if (rec === undefined) throw new HubError('NOT_FOUND', `There is no export target "${targetId}".`, { details: { targetId } });
    this.refuseRealTargetInDemo(rec, 'test');
    const exporter = this.createExporter(rec);
    try {
      return await exporter.test(AbortSignal.timeout(30_000));
    } finally {
      await exporter.close();
    }
  }

  private createExporter(rec: TargetRecord): Exporter {
    const secret = rec.hasSecret ? this.o.secrets.get(secretName(rec.target.id)) : undefined;
    return this.o.createExporter(rec.target, { ...(secret === undefined ? {} : { secret }), ...(this.o.now === undefined ? {} : { now: this.o.now }) });
  }

  private startWorker(rec: TargetRecord): void {
    const id = rec.target.id;
    const worker = new OutboxWorker({
      targetId: id,
      tables: this.tables,
      exporter: this.createExporter(rec),
      workstation: this.o.workflow.workstation,
      retry: rec.target.retry,
      ...(this.o.now === undefined ? {} : { now: this.o.now }),
      ...(this.o.random === undefined ? {} : { random: this.o.random }),
      ...(this.o.pollMs === undefined ? {} : { pollMs: this.o.pollMs }),
      ...(this.o.reportBug === undefined ? {} : { reportBug: this.o.reportBug }),
      onChange: (readingId) => {
        this.o.workflow.announce(readingId);
        this.emitSummary();
      },
      onProblem: (problem) => {
        if (problem === undefined) this.problems.delete(id);
        else this.problems.set(id, problem);
      },
    });
    this.workers.set(id, { worker, stamp: stampOf(rec) });
    worker.start();
  }

  private wakeAll(): void {
    for (const w of this.workers.values()) w.worker.wake();
  }

  /** Coalesce bursts (a batch confirm) into one `outbox` event. */
  private emitSummary(): void {
    if (this.summaryQueued) return;
    this.summaryQueued = true;
    setImmediate(() => {
      this.summaryQueued = false;
      if (this.outboxListeners.size === 0) return;
      const summary = this.summary();
      for (const listener of this.outboxListeners) listener(summary);
    });
  }
}

function toView(rec: TargetRecord): ExportTargetView {
  return { target: rec.target, hasSecret: rec.hasSecret, updatedAt: rec.updatedAt };
}
