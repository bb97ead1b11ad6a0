import { localDay } from '../../shared/time.ts';
import type { MethodInput } from '../../shared/api/contract.ts';
import type { MethodHandlers } from '../../shared/api/handlers.ts';
import type { TodayEntry, TodayList } from '../../shared/api/today-model.ts';
import type { Visit } from '../../shared/patients/patient-sources.ts';
import type { HubDatabase } from '../store/hub-database.ts';

/** The contract methods the Today list implements. */
export const TODAY_METHODS = ['listToday'] as const;
export type TodayMethod = (typeof TODAY_METHODS)[number];

/** Without a Refresh click, the sources are asked again at most this often. */
export const DEFAULT_REFRESH_EVERY_MS = 5 * 60_000;

export interface TodayOptions {
  /**
   * Ask the patient sources for today's schedule again (the FHIR source's refresh); it stores
   * what it learns in the visits and patients tables. Absent: the list is what ADT pushed.
   */
  refreshToday?: () => Promise<unknown>;
  /** The clock (epoch ms); tests pass a fake one. */
  now?: () => number;
  refreshEveryMs?: number;
}


export { localDay } from '../../shared/time.ts';

/**
 * Today's patients (docs/architecture.md §8, "Patient context"): the visits of this workstation's
 * local day joined with the patients on file. Asking the sources is slow and may fail, so it
 * happens on demand or when the last answer is older than `refreshEveryMs`; a failure is said in
 * words and the list shows what the cache holds.
 */
export class TodayService implements MethodHandlers<TodayMethod> {
  private readonly now: () => number;
  private readonly everyMs: number;
  private refreshedAt: number | undefined;
  private problem: string | undefined;
  /** One refresh at a time: a second caller waits for the one in flight. */
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly tables: Pick<HubDatabase, 'visits' | 'patients' | 'patientSources'>,
    private readonly opts: TodayOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.everyMs = opts.refreshEveryMs ?? DEFAULT_REFRESH_EVERY_MS;
  }

  async listToday(input: MethodInput<'listToday'> = {}): Promise<TodayList> {
    const due = this.refreshedAt === undefined || this.now() - this.refreshedAt >= this.everyMs;
    // Only a FHIR source can be asked for a schedule; ADT pushes its visits by itself.
    const refreshable = this.opts.refreshToday !== undefined && this.tables.patientSources.list().some((r) => r.source.enabled && r.source.kind === 'fhir');
    if (refreshable && this.opts.refreshToday !== undefined && (input.refresh === true || due)) await this.refresh(this.opts.refreshToday);
    const { start, end, day } = localDay(this.now());
    return {
      entries: this.entries(start, end),
      day,
      ...(this.refreshedAt === undefined ? {} : { refreshedAt: new Date(this.refreshedAt).toISOString() }),
      canRefresh: refreshable,
      refreshEveryMinutes: Math.max(1, Math.round(this.everyMs / 60_000)),
      ...(this.problem === undefined ? {} : { refreshProblem: this.problem }),
    };
  }

  private refresh(fn: () => Promise<unknown>): Promise<void> {
    this.inFlight ??= (async () => {
      const at = this.now();
      try {
        await fn();
        this.problem = undefined;
      } catch (e) {
        this.problem = `Could not ask the EHR for today's patients (${e instanceof Error ? e.message : String(e)}): showing what this workstation already knows.`;
      } finally {
        // A failed attempt also waits its turn: a down server is not asked on every keystroke.
        this.refreshedAt = at;
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  private entries(start: number, end: number): TodayEntry[] {
    // The store keeps starts as UTC instants, so the local day's bounds select by the instant itself.
    const visits = this.tables.visits.between(new Date(start).toISOString(), new Date(end).toISOString());
    const names = new Map<string, string>();
    const sourceName = (id: string): string => {
      if (!names.has(id)) names.set(id, this.tables.patientSources.get(id)?.source.name ?? id);
      return names.get(id) ?? id;
    };
    return visits
      .filter((v) => v.state !== 'cancelled' && inDay(v, start, end))
      .flatMap((v) => {
        const onFile = this.tables.patients.get(v.mrn);
        const fromSource = this.tables.patients.sourcePatient(v.mrn);
        // Not on file: nothing to identify the patient by. Merged away: the visits moved with the merge.
        if (onFile === undefined || fromSource?.mergedInto !== undefined) return [];
        return [toEntry(v, { ...onFile, ...(fromSource?.sex === undefined ? {} : { sex: fromSource.sex }) }, sourceName(v.sourceId))];
      })
      .sort((a, b) => Date.parse(a.time ?? '') - Date.parse(b.time ?? '') || a.visitId.localeCompare(b.visitId));
  }
}

function inDay(v: Visit, start: number, end: number): boolean {
  const t = v.start === undefined ? NaN : Date.parse(v.start);
  return t >= start && t < end;
}

function toEntry(v: Visit, p: { mrn: string; name?: string; birthDate?: string; sex?: TodayEntry['patient']['sex'] }, source: string): TodayEntry {
  return {
    visitId: v.id,
    ...(v.start === undefined ? {} : { time: v.start }),
    patient: { mrn: p.mrn, ...(p.name === undefined ? {} : { name: p.name }), ...(p.birthDate === undefined ? {} : { birthDate: p.birthDate }), ...(p.sex === undefined ? {} : { sex: p.sex }) },
    ...(v.room === undefined ? {} : { room: v.room }),
    ...(v.location === undefined ? {} : { location: v.location }),
    state: v.state,
    ...(v.visitNumber === undefined ? {} : { visitNumber: v.visitNumber }),
    ...(v.encounterId === undefined ? {} : { encounterId: v.encounterId }),
    source,
  };
}
