import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import type { OutboxRow, OutboxSummary } from '../../shared/api/model.ts';
import { isHubError } from '../../shared/errors.ts';
import { ExportTargetSchema, OUTBOX_STATES, TargetIdSchema } from '../../shared/export/targets.ts';
import { createHub } from '../app.ts';
import { ExportService } from '../export/export-service.ts';
import { createExporter } from '../export/exporters.ts';
import { FileSecretStore } from '../export/secret-store.ts';
import { defaultDataDir } from '../paths.ts';
import { HubWorkflow } from '../workflow/hub-workflow.ts';
import { join } from 'node:path';
import { PositiveInt, parseArgs } from './args.ts';
import { openHubDatabase } from './audit-command.ts';
import type { Io } from './io.ts';
import { commandFailure, commandFailureOf } from './output.ts';

const Data = z.string().min(1).optional();
const Ids = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')))
  .pipe(z.array(PositiveInt('--id')).min(1));

const StatusArgs = z.object({ data: Data, json: z.boolean().optional(), target: TargetIdSchema.optional(), all: z.boolean().optional() });
const RetryArgs = z.object({ data: Data, target: TargetIdSchema.optional(), id: Ids.optional() }).refine((a) => (a.target === undefined) !== (a.id === undefined), {
  message: 'give either --target <id> (all its failed rows) or --id <n>[,<n>…]',
});
const RequeueArgs = z.object({ data: Data, id: Ids });
/** A day (from this workstation's local midnight) or an instant with its offset, as UTC ISO. */
const Since = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: '--since: give a date (2026-11-01) or a time with its offset (2026-11-01T08:00:00+01:00)' })
  .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00` : v).toISOString());
const BackfillArgs = z.object({ data: Data, target: TargetIdSchema, since: Since });
const RunArgs = z.object({ data: Data });
const TargetsArgs = z.object({ data: Data, json: z.boolean().optional() });
const SetTargetArgs = z.object({ data: Data, file: z.string().min(1), secretStdin: z.boolean().optional() });
const TestArgs = z.object({ data: Data });

/** Export service over a store without starting workers: what the one-shot commands use. */
async function withExports<T>(data: string | undefined, fn: (exports: ExportService) => Promise<T> | T): Promise<T> {
  const dataDir = data ?? defaultDataDir();
  const store = openHubDatabase(dataDir, true);
  try {
    const workflow = new HubWorkflow(store, hostname());
    const exports = new ExportService({ tables: store, workflow, secrets: new FileSecretStore(join(dataDir, 'secrets')), createExporter });
    return await fn(exports);
  } catch (e) {
    if (isHubError(e)) throw commandFailureOf(e);
    throw e;
  } finally {
    store.close();
  }
}

function summaryLine(s: OutboxSummary): string {
  const counts = OUTBOX_STATES.map((st) => `${st} ${s.counts[st]}`).join(', ');
  const behind = s.oldestWaitingAt === undefined ? '' : `; oldest waiting since ${s.oldestWaitingAt}`;
  return `${s.targetId} (${s.kind}${s.enabled ? '' : ', disabled'}): ${counts}${behind}`;
}

function rowLine(r: OutboxRow): string {
  const next = r.state === 'failed' && r.nextAttemptAt !== undefined ? `, next try ${r.nextAttemptAt}` : '';
  return `  #${r.id} ${r.state} ${r.targetId} MRN ${r.patientMrn} ${r.summary.join('; ')} — ${r.attempts} attempt(s)${r.lastStatus === undefined ? '' : `, ${r.lastStatus}`}${next}${r.lastMessage === undefined ? '' : `: ${r.lastMessage}`}`;
}

/**
 * `pochub export status [--target <id>] [--all] [--json]`: counts per target and state, then the
 * rows that need a look (failed and dead; every row with --all). Exit 0 when nothing is dead,
 * 1 when some row needs a person — so a monitoring script can alert on it.
 */
export async function exportStatusCommand(raw: Record<string, unknown>, io: Io): Promise<number> {
  const args = parseArgs(StatusArgs, raw);
  return withExports(args.data, (exports) => {
    const summary = exports.summary().filter((s) => args.target === undefined || s.targetId === args.target);
    const rows = exports.rows({ ...(args.target === undefined ? {} : { targetId: args.target }), ...(args.all ? {} : { states: ['failed', 'dead'] }), limit: 1000 });
    if (args.json) io.out(JSON.stringify({ summary, rows }));
    else {
      if (summary.length === 0) io.err('no export targets configured (add one with: pochub export targets set --file <target.json>)');
      for (const s of summary) io.out(summaryLine(s));
      if (rows.length > 0) io.out(args.all ? 'rows:' : 'rows that need a look:');
      for (const r of rows) io.out(rowLine(r));
    }
    return summary.some((s) => s.counts.dead > 0) ? 1 : 0;
  });
}

/** `pochub export retry (--target <id> | --id <n>[,<n>…])`: send failed rows now. */
export async function exportRetryCommand(raw: Record<string, unknown>, io: Io): Promise<number> {
  const args = parseArgs(RetryArgs, raw);
  return withExports(args.data, (exports) => {
    const { count } = exports.retryExport(args.id !== undefined ? { ids: args.id } : { targetId: args.target ?? '' });
    io.out(`${count} failed row(s) will be sent at once by the hub that exports from this folder`);
    return 0;
  });
}

/** `pochub export requeue --id <n>[,<n>…]`: dead rows back into the queue, rebuilt with a new control id. */
export async function exportRequeueCommand(raw: Record<string, unknown>, io: Io): Promise<number> {
  const args = parseArgs(RequeueArgs, raw);
  return withExports(args.data, (exports) => {
    const { count } = exports.requeueExport({ ids: args.id });
    io.out(`${count} dead row(s) requeued`);
    return count === args.id.length ? 0 : 1;
  });
}

/**
 * `pochub export backfill --target <id> --since <date|time>`: queue for a target the readings
 * confirmed since then that it never got (it was added or enabled later). Each goes once only,
 * however often this runs.
 */
export async function exportBackfillCommand(raw: Record<string, unknown>, io: Io): Promise<number> {
  const args = parseArgs(BackfillArgs, raw);
  return withExports(args.data, (exports) => {
    const count = exports.backfill({ targetId: args.target, since: args.since });
    io.out(`${count} confirmed reading(s) since ${args.since} queued for ${args.target}; the hub that exports from this folder sends them`);
    return 0;
  });
}

/** `pochub export targets [--json]`: the configured targets (never their secrets). */
export async function exportTargetsCommand(raw: Record<string, unknown>, io: Io): Promise<number> {
  const args = parseArgs(TargetsArgs, raw);
  return withExports(args.data, (exports) => {
    const list = exports.listExportTargets();
    if (args.json) io.out(JSON.stringify(list, null, 2));
    else if (list.length === 0) io.err('no export targets configured');
    else for (const v of list) io.out(`${v.target.id}\t${v.target.kind}\t${v.target.enabled ? 'enabled' : 'disabled'}\t${v.target.name}${v.hasSecret ? '\t(secret stored)' : ''}`);
    return 0;
  });
}

/**
 * `pochub export set-target --file <target.json> [--secret-stdin]`: add or change a target from
 * a JSON file (the shape of shared/export/targets.ts); the bearer token, if any, on standard
 * input — never on the command line, where `ps` and shell history would keep it.
 */
export async function exportSetTargetCommand(raw: Record<string, unknown>, io: Io, readSecret: () => Promise<string> = readStdinLine): Promise<number> {
  const args = parseArgs(SetTargetArgs, raw);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(args.file, 'utf8'));
  } catch (e) {
    throw commandFailure('INPUT_INVALID', `cannot read ${args.file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const target = ExportTargetSchema.safeParse(json);
  if (!target.success) throw commandFailure('INPUT_INVALID', `${args.file} is not a valid export target: ${target.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  const secret = args.secretStdin ? (await readSecret()).trim() : undefined;
  if (secret === '') throw commandFailure('INPUT_INVALID', '--secret-stdin: standard input was empty');
  return withExports(args.data, async (exports) => {
    const view = await exports.saveExportTarget({ target: target.data, ...(secret === undefined ? {} : { secret }) });
    io.out(`saved ${view.target.id} (${view.target.kind}, ${view.target.enabled ? 'enabled' : 'disabled'})${view.hasSecret ? ', secret stored outside the database' : ''}`);
    return 0;
  });
}

/** `pochub export test <target-id>`: check the target answers; exit 0 when it does. */
export async function exportTestCommand(targetId: string, raw: Record<string, unknown>, io: Io): Promise<number> {
  const args = parseArgs(TestArgs, raw);
  const id = parseArgs(TargetIdSchema, targetId);
  return withExports(args.data, async (exports) => {
    const result = await exports.testExportTarget({ targetId: id });
    if (!result.ok) throw commandFailure('EXPORT_TEST_FAILED', result.message);
    io.out(result.message);
    return 0;
  });
}

/**
 * `pochub export run [--data <dir>]`: only the export workers, in the foreground, until Ctrl-C /
 * SIGTERM (a headless exporter next to a kiosk, and what the crash tests kill with SIGKILL).
 */
export async function exportRunCommand(raw: Record<string, unknown>, io: Io, stop: AbortSignal): Promise<number> {
  const args = parseArgs(RunArgs, raw);
  const dataDir = args.data ?? defaultDataDir();
  openHubDatabase(dataDir, true).close();
  let hub;
  try {
    hub = createHub({ dataDir, demo: false, log: (line) => io.err(line) });
  } catch (e) {
    throw commandFailureOf(e, { code: 'STORE_FAILED' });
  }
  io.err(`exporting from ${dataDir} (Ctrl-C stops)`);
  for (const s of hub.exports.summary()) io.err(summaryLine(s));
  await new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    else stop.addEventListener('abort', () => resolve(), { once: true });
  });
  await hub.close();
  return 0;
}

/** The first line of standard input (a secret given with `--secret-stdin`). */
export async function readStdinLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.includes('\n') || text.length > 10_000) break;
  }
  return text.split('\n')[0] ?? '';
}
