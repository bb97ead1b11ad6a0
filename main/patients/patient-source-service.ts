import type { MethodName, MethodOutput } from '../../shared/api/contract.ts';
import type { MethodHandlers, MethodParsedInput } from '../../shared/api/handlers.ts';
import { issueSentence } from '../../shared/api/issue-words.ts';
import { HubError, isHubError } from '../../shared/errors.ts';
import { SavePatientSourceInputSchema, type LookupResult, type PatientSourceView, type TodayResult } from '../../shared/patients/patient-lookup.ts';
import type { FhirPatientSource, PatientSource, SourcePatient } from '../../shared/patients/patient-sources.ts';
import type { SecretStore } from '../export/secret-store.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import type { SourceRecord } from '../store/patient-sources-repo.ts';
import { FhirSourceClient } from './fhir/fhir-source-client.ts';
import { localDay } from './local-day.ts';
import { testAdtAddress } from './adt-address.ts';

/** The contract methods this service implements; main/api binds exactly these to it. */
export const PATIENT_SOURCE_METHODS = ['listPatientSources', 'savePatientSource', 'removePatientSource', 'testPatientSource'] as const satisfies readonly MethodName[];
export type PatientSourceMethod = (typeof PATIENT_SOURCE_METHODS)[number];

interface PatientSourceServiceOptions {
  readonly tables: Pick<HubDatabase, 'patientSources' | 'patients' | 'visits' | 'transaction'>;
  /** Audit rows (every change of a source is audited; the secret itself never is). */
  readonly audit: (action: string, subject: string | undefined, details: Record<string, unknown>) => void;
  readonly secrets: SecretStore;
  readonly now?: () => number;
  /** `_count` of the schedule searches (default: the client's); tests of paging ask for small pages. */
  readonly pageSize?: number;
}

/** The secret store key of a source's bearer token (export targets use `export-target:<id>`). */
const secretName = (sourceId: string): string => `patient-source:${sourceId}`;

/** One look-up waits at most this long for all sources together, so selection never hangs. */
const LOOKUP_BUDGET_MS = 15_000;

/**
 * The patient sources of one workstation (docs/patient-sources.md): their settings, validated and
 * audited, with secrets outside the database as export targets keep theirs; "test connection";
 * looking an MRN up for selection and `pochub patients find`; refreshing today's schedule.
 */
export class PatientSourceService implements MethodHandlers<PatientSourceMethod> {
  constructor(private readonly o: PatientSourceServiceOptions) {}

  private iso(): string {
    return new Date((this.o.now ?? Date.now)()).toISOString();
  }

  private client(rec: SourceRecord & { source: FhirPatientSource }): FhirSourceClient {
    const secret = rec.hasSecret ? this.o.secrets.get(secretName(rec.source.id)) : undefined;
    return new FhirSourceClient(rec.source, {
      ...(secret === undefined ? {} : { secret }),
      ...(this.o.now === undefined ? {} : { now: this.o.now }),
      ...(this.o.pageSize === undefined ? {} : { pageSize: this.o.pageSize }),
    });
  }

  private enabled(): SourceRecord[] {
    return this.o.tables.patientSources.list().filter((rec) => rec.source.enabled);
  }

  listPatientSources(): PatientSourceView[] {
    return this.o.tables.patientSources.list().map(toView);
  }

  /** Validate and save a source; its bearer token goes to the secret store, never the database. */
  savePatientSource(raw: unknown): PatientSourceView {
    const parsed = SavePatientSourceInputSchema.safeParse(raw);
    if (!parsed.success) throw new HubError('INPUT_INVALID', `The patient source is not valid: ${parsed.error.issues.map(issueSentence).join(' ')}`);
    const { source, secret } = parsed.data;
    if (source.kind === 'hl7-adt' && secret !== undefined && secret !== null) throw new HubError('INPUT_INVALID', 'An HL7 ADT source has no secret: the EHR connects to the hub.');
    const before = this.o.tables.patientSources.get(source.id);
    if (secret !== undefined && secret !== null) this.o.secrets.set(secretName(source.id), secret);
    if (secret === null) this.o.secrets.delete(secretName(source.id));
    const hasSecret = secret === undefined ? (before?.hasSecret ?? false) : secret !== null;
    const saved = this.o.tables.transaction(() => {
      const rec = this.o.tables.patientSources.save(source, hasSecret, this.iso());
      this.o.audit('patient-source.save', source.id, { source, created: before === undefined, secret: secret === undefined ? 'unchanged' : secret === null ? 'removed' : 'set' });
      return rec;
    });
    return toView(saved);
  }

  /** Remove a source and its secret; what it told the cache stays until the cache expires it. */
  removePatientSource({ sourceId }: MethodParsedInput<'removePatientSource'>): { ok: true } {
    const removed = this.o.tables.transaction(() => {
      const gone = this.o.tables.patientSources.remove(sourceId);
      if (gone) this.o.audit('patient-source.remove', sourceId, {});
      return gone;
    });
    if (!removed) throw new HubError('NOT_FOUND', `There is no patient source "${sourceId}".`, { details: { sourceId } });
    this.o.secrets.delete(secretName(sourceId));
    return { ok: true };
  }

  /** "Test connection": FHIR — metadata and one search; HL7 ADT — the address can be bound. */
  async testPatientSource({ sourceId }: MethodParsedInput<'testPatientSource'>): Promise<MethodOutput<'testPatientSource'>> {
    const rec = this.o.tables.patientSources.get(sourceId);
    if (rec === undefined) throw new HubError('NOT_FOUND', `There is no patient source "${sourceId}".`, { details: { sourceId } });
    if (rec.source.kind === 'hl7-adt') return testAdtAddress(rec.source.listen);
    return this.client({ ...rec, source: rec.source }).test(AbortSignal.timeout(30_000));
  }

  /**
   * Ask the enabled sources about one MRN. An ADT source answers from the cache it keeps (no
   * network call); FHIR sources are asked in turn until one knows the patient. A merged-away MRN
   * resolves to the surviving patient. Never throws for a source that cannot be reached: that is
   * the `unreachable` answer, with the reason — also when another source answered without
   * knowing the MRN, as the one that did not answer might know it. `identifierSystem` qualifies
   * this search instead of each FHIR source's own (`pochub patients find --identifier-system`).
   * @throws HubError CONFLICT when a source has several patients with the MRN.
   */
  async lookup(mrn: string, options: { identifierSystem?: string } = {}): Promise<LookupResult> {
    const sources = this.enabled();
    if (sources.length === 0) return { state: 'no-sources' };
    const cached = this.fromAdtCache(mrn, sources);
    if (cached !== undefined) return cached;
    const asked: string[] = sources.filter((rec) => rec.source.kind === 'hl7-adt').map((rec) => rec.source.name);
    const reasons: string[] = [];
    const signal = AbortSignal.timeout(LOOKUP_BUDGET_MS);
    for (const rec of sources) {
      if (rec.source.kind !== 'fhir') continue;
      try {
        const source = options.identifierSystem === undefined ? rec.source : { ...rec.source, identifierSystem: options.identifierSystem };
        const answer = await this.client({ ...rec, source }).lookup(mrn, signal);
        if (answer.found) return { state: 'found', patient: withOwnMrn(answer.patient, rec.source), sourceId: rec.source.id, sourceName: rec.source.name, cached: false };
        asked.push(rec.source.name);
      } catch (e) {
        if (!isHubError(e, 'EXPORT_NETWORK') && !isHubError(e, 'EXPORT_AUTH')) throw e;
        // The whole look-up's time ran out (not this request's own timeout): say that, not "stopping".
        reasons.push(`${rec.source.name}: ${signal.aborted ? `no answer within ${LOOKUP_BUDGET_MS / 1000} s` : e.message}`);
      }
    }
    // "Not in the EHR" only when every source answered: one that did not might know the patient.
    if (reasons.length > 0) return { state: 'unreachable', reason: reasons.join('; ') };
    return { state: 'not-found', asked };
  }

  /** A patient an enabled ADT source registered (following a merge to the survivor). */
  private fromAdtCache(mrn: string, sources: readonly SourceRecord[]): LookupResult | undefined {
    const adt = new Map(sources.filter((rec) => rec.source.kind === 'hl7-adt').map((rec) => [rec.source.id, rec.source]));
    const first = this.o.tables.patients.sourcePatient(mrn);
    if (first === undefined) return undefined;
    const survivor = first.mergedInto === undefined ? first : this.o.tables.patients.sourcePatient(first.mergedInto);
    if (survivor === undefined) return undefined;
    const source: PatientSource | undefined = adt.get(survivor.sourceId);
    if (source === undefined) return undefined;
    return {
      state: 'found',
      patient: survivor,
      sourceId: source.id,
      sourceName: source.name,
      cached: true,
      ...(survivor.mrn === mrn ? {} : { mergedFrom: mrn }),
    };
  }

  /**
   * Ask every enabled FHIR source with a location for today's schedule (the workstation's local
   * day) and keep what they answered in the cache; answer with the cached visits of the day (ADT
   * visits included) and the problems met. A source that cannot be reached is a problem, not a failure.
   */
  async refreshToday(): Promise<TodayResult> {
    const day = localDay((this.o.now ?? Date.now)());
    const problems: string[] = [];
    const enabled = this.enabled();
    if (!enabled.some((rec) => rec.source.kind === 'hl7-adt' || rec.source.location !== undefined)) {
      problems.push('no enabled patient source has a location for today\'s schedule (set one with --location Location/<id>)');
    }
    for (const rec of enabled) {
      if (rec.source.kind !== 'fhir' || rec.source.location === undefined) continue;
      try {
        const schedule = await this.client({ ...rec, source: rec.source }).today(day, AbortSignal.timeout(60_000));
        problems.push(...schedule.problems);
        this.o.tables.transaction(() => {
          for (const p of schedule.patients) this.o.tables.patients.saveFromSource(p);
          for (const v of schedule.visits) this.o.tables.visits.save(v);
        });
      } catch (e) {
        if (!isHubError(e, 'EXPORT_NETWORK') && !isHubError(e, 'EXPORT_AUTH')) throw e;
        problems.push(`${rec.source.name} could not be asked (${e.message}): the list shows what the hub kept from earlier`);
      }
    }
    return { visits: this.o.tables.visits.between(day.from, day.to), problems };
  }
}

/**
 * A patient found by another identifier system (`find --identifier-system`) still has the MRN of
 * the source's own system, when the EHR gave one.
 */
function withOwnMrn(p: SourcePatient, source: FhirPatientSource): SourcePatient {
  const own = source.identifierSystem === undefined ? undefined : p.identifiers.find((i) => i.system === source.identifierSystem)?.value;
  return own === undefined || own === p.mrn ? p : { ...p, mrn: own };
}

function toView(rec: SourceRecord): PatientSourceView {
  return { source: rec.source, hasSecret: rec.hasSecret, updatedAt: rec.updatedAt };
}
