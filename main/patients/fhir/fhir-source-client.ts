import { readFileSync } from 'node:fs';
import { HubError, isHubError } from '../../../shared/errors.ts';
import type { FhirPatientSource, SourcePatient, Visit } from '../../../shared/patients/patient-sources.ts';
import { createAuthorizer, type Authorizer } from '../../export/fhir/auth.ts';
import { joinUrl, request, type HttpResponse } from '../../export/fhir/http.ts';
import { utcInstant } from '../local-day.ts';
import { appointmentVisit, encounterVisit, readSearchPage, toSourcePatient, type VisitDraft } from './fhir-resources.ts';

const FHIR_JSON = 'application/fhir+json';
/** Pages followed per search at most: a day's schedule of one location is a few pages; more is a loop. */
export const MAX_PAGES = 20;
/** Entries asked for per page (a server may give fewer and a next link). */
const PAGE_SIZE = 50;

/** A look-up's answer: the patient as the EHR has them, or that the EHR does not know the MRN. */
export type FhirLookup = { found: true; patient: SourcePatient } | { found: false };

/** Today's schedule as one source told it: patients and visits, and what went wrong on the way. */
export interface FhirSchedule {
  readonly patients: SourcePatient[];
  readonly visits: Visit[];
  readonly problems: string[];
}

/**
 * The server answered, but not with what a FHIR server answers (an HTTP error, no Bundle). Carried
 * as EXPORT_NETWORK like the shared HTTP client's failures, so a caller treats every "could not
 * get an answer" alike; `details.status` is `answer`.
 */
function badAnswer(message: string): HubError {
  return new HubError('EXPORT_NETWORK', message, { details: { status: 'answer' } });
}

export interface ClientDeps {
  readonly secret?: string;
  readonly now?: () => number;
  /** `_count` of the schedule searches (default 50); the paging tests ask for small pages. */
  readonly pageSize?: number;
}

/**
 * The FHIR R4 side of a patient source (docs/patient-sources.md): a patient by identifier, today's
 * Appointments and Encounters for the configured location, and "test connection". Same transport
 * and auth as the FHIR export target (main/export/fhir: bearer, SMART Backend Services, caFile,
 * timeouts). Every failure to get an answer throws a HubError (EXPORT_NETWORK or EXPORT_AUTH)
 * whose message says why in words; the caller turns it into "EHR unreachable".
 */
export class FhirSourceClient {
  private readonly auth: Authorizer;
  private readonly ca: string | undefined;
  private readonly caProblem: string | undefined;
  private readonly now: () => number;
  private readonly pageSize: number;

  constructor(
    private readonly source: FhirPatientSource,
    deps: ClientDeps = {},
  ) {
    this.now = deps.now ?? Date.now;
    this.pageSize = deps.pageSize ?? PAGE_SIZE;
    let ca: string | undefined;
    try {
      ca = source.caFile === undefined ? undefined : readFileSync(source.caFile, 'utf8');
    } catch (e) {
      this.caProblem = `Cannot read the CA certificate file ${source.caFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
    }
    this.ca = ca;
    this.auth = createAuthorizer(source.auth, { baseUrl: source.baseUrl, ...(deps.secret === undefined ? {} : { secret: deps.secret }), ca, timeoutMs: source.timeoutMs, now: this.now });
  }

  private async get(url: string, signal: AbortSignal): Promise<HttpResponse> {
    if (this.caProblem !== undefined) throw new HubError('EXPORT_NETWORK', this.caProblem, { details: { status: 'config' } });
    const once = async (): Promise<HttpResponse> => {
      const authorization = await this.auth.authorization(signal);
      return request({ method: 'GET', url, headers: { accept: FHIR_JSON, ...(authorization ? { authorization } : {}) }, ca: this.ca, timeoutMs: this.source.timeoutMs, signal });
    };
    let res = await once();
    if ((res.status === 401 || res.status === 403) && this.auth.refreshable) {
      this.auth.invalidate();
      res = await once();
    }
    if (res.status === 401 || res.status === 403) {
      throw new HubError('EXPORT_AUTH', `${this.source.name} refused the hub's credentials (HTTP ${res.status}): check the token or the SMART client`, { details: { status: `HTTP ${res.status}` } });
    }
    return res;
  }

  /** Every page of a search, following `next` links up to {@link MAX_PAGES}. */
  private async search(query: string, signal: AbortSignal, problems: string[]): Promise<Record<string, unknown>[]> {
    const all: Record<string, unknown>[] = [];
    let url: string | undefined = joinUrl(this.source.baseUrl, query);
    const origin = new URL(this.source.baseUrl).origin;
    for (let page = 0; url !== undefined; page += 1) {
      if (page === MAX_PAGES) {
        problems.push(`${this.source.name}: more than ${MAX_PAGES} pages for ${query.split('?')[0] ?? query}; the rest was not read`);
        break;
      }
      const res = await this.get(url, signal);
      if (res.status !== 200) throw badAnswer(`${this.source.name} answered HTTP ${res.status} to ${query.split('?')[0] ?? query}`);
      const bundle = readSearchPage(parseJson(res.body));
      if (bundle === undefined) throw badAnswer(`${this.source.name} did not answer with a FHIR Bundle: check the base URL`);
      all.push(...bundle.resources);
      // A next link elsewhere would send the token to another host: not followed.
      if (bundle.next !== undefined && new URL(bundle.next, this.source.baseUrl).origin !== origin) {
        problems.push(`${this.source.name}: a next link pointed to another server; not followed`);
        break;
      }
      url = bundle.next === undefined ? undefined : new URL(bundle.next, this.source.baseUrl).toString();
    }
    return all;
  }

  /**
   * Look a patient up by MRN: `Patient?identifier=<system>|<mrn>` when the source names the MRN's
   * system, else `identifier=<mrn>`. Several matches are ambiguous: refused (CONFLICT).
   */
  async lookup(mrn: string, signal: AbortSignal): Promise<FhirLookup> {
    const token = this.source.identifierSystem === undefined ? escapeToken(mrn) : `${escapeToken(this.source.identifierSystem)}|${escapeToken(mrn)}`;
    const at = new Date(this.now()).toISOString();
    const found = await this.search(`Patient?identifier=${encodeURIComponent(token)}&_count=10`, signal, []);
    const patients = found.filter((r) => r['resourceType'] === 'Patient' && r['active'] !== false);
    if (patients.length === 0) return { found: false };
    if (patients.length > 1) {
      throw new HubError('CONFLICT', `${this.source.name} has ${patients.length} patients with MRN ${mrn}: the hub cannot tell which one; ask the registration desk.`, { details: { mrn, matches: patients.length } });
    }
    const patient = toSourcePatient(patients[0], { sourceId: this.source.id, at, identifierSystem: this.source.identifierSystem, mrn });
    if (patient === undefined) throw badAnswer(`${this.source.name} answered with a Patient the hub cannot read for MRN ${mrn}`);
    return { found: true, patient };
  }

  /**
   * Today's schedule for the configured location: Appointments booked / arrived / checked-in /
   * fulfilled (`actor=<location>`) with their patients included, and Encounters arrived / in
   * progress (`location=<location>`) with their subjects, within the workstation's local day
   * [`from`, `to`). An Encounter search the server refuses is a problem, not a failure.
   */
  async today(day: { from: string; to: string }, signal: AbortSignal): Promise<FhirSchedule> {
    const location = this.source.location;
    if (location === undefined) return { patients: [], visits: [], problems: [`${this.source.name} has no location set: nothing to list for today`] };
    const at = new Date(this.now()).toISOString();
    const problems: string[] = [];
    const dates = `date=ge${encodeURIComponent(day.from)}&date=lt${encodeURIComponent(day.to)}`;
    const appointments = await this.search(
      `Appointment?actor=${encodeURIComponent(location)}&${dates}&status=booked,arrived,checked-in,fulfilled&_include=Appointment:patient&_count=${this.pageSize}`,
      signal,
      problems,
    );
    let encounters: Record<string, unknown>[] = [];
    try {
      encounters = await this.search(`Encounter?location=${encodeURIComponent(location)}&status=arrived,in-progress&${dates}&_include=Encounter:subject&_count=${this.pageSize}`, signal, problems);
    } catch (e) {
      if (!isHubError(e, 'EXPORT_NETWORK') || e.details?.['status'] !== 'answer') throw e;
      problems.push(`${e.message}; Encounters are not listed`);
    }
    return this.assemble([...appointments, ...encounters], at, problems);
  }

  /** Patients by logical id, then each visit with its patient's MRN; a visit whose patient is unknown is a problem. */
  private assemble(resources: readonly Record<string, unknown>[], at: string, problems: string[]): FhirSchedule {
    const ctx = { sourceId: this.source.id, at };
    const byId = new Map<string, SourcePatient>();
    for (const r of resources) {
      if (r['resourceType'] !== 'Patient') continue;
      const p = toSourcePatient(r, { ...ctx, identifierSystem: this.source.identifierSystem });
      if (p?.fhirId !== undefined) byId.set(p.fhirId, p);
    }
    const visits = new Map<string, Visit>();
    let unresolved = 0;
    for (const r of resources) {
      const draft: VisitDraft | undefined = r['resourceType'] === 'Appointment' ? appointmentVisit(r, ctx) : r['resourceType'] === 'Encounter' ? encounterVisit(r, ctx) : undefined;
      if (draft === undefined) continue;
      const { patientId, ...visit } = draft;
      const patient = patientId === undefined ? undefined : byId.get(patientId);
      if (patient === undefined) {
        unresolved += 1;
        continue;
      }
      const start = utcInstant(visit.start);
      const { start: _given, ...rest } = visit;
      visits.set(visit.id, { ...rest, ...(start === undefined ? {} : { start }), mrn: patient.mrn });
    }
    if (unresolved > 0) problems.push(`${this.source.name}: ${unresolved} visit(s) without a patient the hub could read (no MRN, or the patient was not included)`);
    return { patients: [...byId.values()], visits: [...visits.values()], problems };
  }

  /** "Test connection": the CapabilityStatement, then one authorised search (proves the credentials). */
  async test(signal: AbortSignal): Promise<{ ok: boolean; message: string }> {
    try {
      const meta = await this.get(joinUrl(this.source.baseUrl, 'metadata'), signal);
      const cap = parseJson(meta.body) as { resourceType?: unknown; fhirVersion?: unknown } | undefined;
      if (meta.status !== 200 || cap?.resourceType !== 'CapabilityStatement') {
        return { ok: false, message: `${this.source.baseUrl} answered HTTP ${meta.status} but no FHIR CapabilityStatement at /metadata: check the base URL.` };
      }
      if (typeof cap.fhirVersion === 'string' && !cap.fhirVersion.startsWith('4.0.')) {
        return { ok: false, message: `The server speaks FHIR ${cap.fhirVersion}; POC Hub reads patients over FHIR R4 (4.0.x).` };
      }
      await this.search('Patient?_count=1&_summary=count', signal, []);
      return { ok: true, message: `${this.source.name} answers: FHIR ${String(cap.fhirVersion ?? 'R4')}, patient search allowed.` };
    } catch (e) {
      if (isHubError(e, 'EXPORT_NETWORK') || isHubError(e, 'EXPORT_AUTH')) return { ok: false, message: e.message };
      throw e;
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** FHIR search escaping of a token part: `\`, `|`, `,` and `$` are escaped with a backslash. */
export function escapeToken(value: string): string {
  return value.replace(/[\\|,$]/g, (c) => `\\${c}`);
}
