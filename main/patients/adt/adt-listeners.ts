import type { AdtPatientSource } from '../../../shared/patients/patient-sources.ts';
import type { HubDatabase } from '../../store/hub-database.ts';
import { buildAck } from './adt-ack.ts';
import { applyAdtMessage, type AdtApplyDeps, type AdtOutcome } from './adt-apply.ts';
import { listenMllp, type AdtListener } from './adt-listener.ts';

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** How often a running hub looks for sources added or changed (by the API or another process). */
export const ADT_SYNC_MS = 5_000;

/** One message as a log line may tell it: never a name or a birth date. */
export interface AdtMessageEvent extends AdtOutcome {
  sourceId: string;
  peer: string;
}

/**
 * One line per message: source, sender, event, control id and the answer — never a name or a
 * birth date (docs/adt-inbound.md §3: the cache never appears in logs).
 */
export function adtMessageLine(e: AdtMessageEvent): string {
  const h = e.header;
  const what = h === undefined ? 'unreadable message' : `${h.event || '?'} ${h.controlId || '?'} from ${h.sender}`;
  const resend = e.duplicate ? ' (resend: answered as before, not applied again)' : '';
  const moved = e.movedReadings.length > 0 ? `, ${e.movedReadings.length} pending reading(s) moved` : '';
  return `ADT ${e.sourceId}: ${what} → ${e.answer.code}${resend}${moved}${e.answer.text === undefined ? '' : ` (${e.answer.text})`}`;
}

interface Running {
  source: AdtPatientSource;
  /** The settings it was started with: a change restarts it. */
  key: string;
  listener: AdtListener;
}

export interface AdtListenersDeps extends AdtApplyDeps {
  store: AdtApplyDeps['store'] & Pick<HubDatabase, 'patientSources'>;
  /** Every message, after it was answered. */
  onMessage?: (event: AdtMessageEvent) => void;
  log: (line: string) => void;
  /** A bug while answering (the sender got AE); default: logged. */
  reportBug?: (where: string, error: unknown) => void;
}

/** `host:port` of a source (`[::1]:2576` for IPv6). */
function addressOf(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  return { host: listen.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port: Number(listen.slice(i + 1)) };
}

/**
 * The MLLP listeners of this workstation's enabled `hl7-adt` patient sources
 * (docs/adt-inbound.md). `sync()` brings them in line with the stored
 * sources — a source added, changed, disabled or removed is started, restarted or stopped — so
 * `serve` calls it at start and then now and then, and after the API saves a source.
 */
export class AdtListeners {
  private readonly running = new Map<string, Running>();
  /** Why a source could not listen, by its settings: said once, tried again at every sync. */
  private readonly failed = new Map<string, string>();
  private syncing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly deps: AdtListenersDeps) {}

  /** Start, restart or stop listeners to match the stored sources; resolves when done. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.syncNow());
    return this.syncing;
  }

  /** The listeners running now: source id and the address actually bound. */
  list(): { sourceId: string; host: string; port: number }[] {
    return [...this.running.values()].map((r) => ({ sourceId: r.source.id, host: r.listener.host, port: r.listener.port }));
  }

  /** Stop every listener. Safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    await this.syncing;
    await Promise.all([...this.running.values()].map((r) => r.listener.close()));
    this.running.clear();
  }

  private async syncNow(): Promise<void> {
    if (this.closed) return;
    let wanted: AdtPatientSource[];
    try {
      wanted = this.deps.store.patientSources.list().flatMap((r) => (r.source.kind === 'hl7-adt' && r.source.enabled ? [r.source] : []));
    } catch (e) {
      this.deps.log(`pochub: cannot read the patient sources: ${errorMessage(e)}`);
      return;
    }
    const keys = new Map(wanted.map((s) => [s.id, JSON.stringify(s)]));
    for (const [id, r] of [...this.running]) {
      const key = keys.get(id);
      if (key === r.key) continue;
      const changed = wanted.find((s) => s.id === id);
      if (key !== undefined && changed?.listen === r.source.listen) {
        // Same address (only the name or the senders changed): connected senders stay connected.
        this.running.set(id, { ...r, source: changed, key });
        continue;
      }
      this.running.delete(id);
      await r.listener.close();
      this.deps.log(`ADT source ${id}: stopped listening on ${r.source.listen}`);
    }
    for (const source of wanted) {
      const key = keys.get(source.id) ?? '';
      if (this.running.has(source.id)) continue;
      const { host, port } = addressOf(source.listen);
      try {
        // The source as it is now: its senders may change while it listens.
        const listener = await listenMllp(host, port, (message, peer) => this.answer(this.running.get(source.id)?.source ?? source, message, peer));
        if (this.closed) {
          await listener.close();
          return;
        }
        this.running.set(source.id, { source, key, listener });
        this.failed.delete(key);
        this.deps.log(`ADT source ${source.id}: listening on ${host}:${listener.port}`);
      } catch (e) {
        const why = errorMessage(e);
        if (this.failed.get(key) !== why) this.deps.log(`pochub: ADT source ${source.id}: ${why}`);
        this.failed.set(key, why);
      }
    }
  }

  private answer(source: AdtPatientSource, message: string, peer: string): string {
    let outcome: AdtOutcome;
    try {
      outcome = applyAdtMessage(this.deps, source, message);
    } catch (e) {
      (this.deps.reportBug ?? ((where, error) => this.deps.log(`pochub: ${where}: ${errorMessage(error)}`)))('answering an ADT message', e);
      outcome = { answer: { code: 'AE', text: 'the hub failed to process the message', error: '207' }, duplicate: false, movedReadings: [] };
    }
    try {
      this.deps.onMessage?.({ ...outcome, sourceId: source.id, peer });
    } catch (e) {
      this.deps.log(`pochub: ${errorMessage(e)}`);
    }
    return buildAck(outcome.header, outcome.answer, new Date(this.deps.now()));
  }
}
