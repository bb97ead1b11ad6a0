import { z } from 'zod';
import { INPUT_LIMITS } from '../../../shared/api/input-limits.ts';
import type { SourcePatient, Visit } from '../../../shared/patients/patient-sources.ts';

/**
 * Reading what a FHIR R4 server answers to the patient source's searches (docs/patient-sources.md):
 * a searchset Bundle, the Patients, Appointments and Encounters in it. The server is outside the
 * hub, so every resource is parsed with a lenient schema — what the hub needs must be there and
 * well-formed, anything else is ignored — and a resource that does not parse is skipped and
 * counted, never guessed at.
 */

const Coding = z.object({ system: z.string().optional(), code: z.string().optional() }).loose();
const Identifier = z.object({ system: z.string().optional(), value: z.string().optional(), type: z.object({ coding: z.array(Coding).optional() }).loose().optional() }).loose();
const HumanName = z.object({ use: z.string().optional(), text: z.string().optional(), family: z.string().optional(), given: z.array(z.string()).optional() }).loose();
const Reference = z.object({ reference: z.string().optional(), display: z.string().optional() }).loose();

export const FhirPatientSchema = z
  .object({
    resourceType: z.literal('Patient'),
    id: z.string().optional(),
    identifier: z.array(Identifier).optional(),
    name: z.array(HumanName).optional(),
    birthDate: z.string().optional(),
    gender: z.string().optional(),
    active: z.boolean().optional(),
  })
  .loose();
export type FhirPatient = z.infer<typeof FhirPatientSchema>;

const AppointmentSchema = z
  .object({
    resourceType: z.literal('Appointment'),
    id: z.string(),
    status: z.string(),
    start: z.string().optional(),
    participant: z.array(z.object({ actor: Reference.optional() }).loose()).optional(),
  })
  .loose();

const EncounterSchema = z
  .object({
    resourceType: z.literal('Encounter'),
    id: z.string(),
    status: z.string(),
    subject: Reference.optional(),
    period: z.object({ start: z.string().optional() }).loose().optional(),
    location: z.array(z.object({ location: Reference }).loose()).optional(),
    identifier: z.array(Identifier).optional(),
  })
  .loose();

const BundleSchema = z
  .object({
    resourceType: z.literal('Bundle'),
    link: z.array(z.object({ relation: z.string(), url: z.string() }).loose()).optional(),
    entry: z.array(z.object({ resource: z.object({ resourceType: z.string() }).loose().optional(), search: z.object({ mode: z.string().optional() }).loose().optional() }).loose()).optional(),
  })
  .loose();

/** One page of a searchset: its resources and the `next` link, when the server gave one. */
export interface SearchPage {
  readonly resources: readonly Record<string, unknown>[];
  readonly next?: string;
}

/** A searchset page, or undefined when the body is not a Bundle at all. */
export function readSearchPage(body: unknown): SearchPage | undefined {
  const parsed = BundleSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const next = parsed.data.link?.find((l) => l.relation === 'next')?.url;
  const resources = (parsed.data.entry ?? []).flatMap((e) => (e.resource === undefined ? [] : [e.resource as Record<string, unknown>]));
  return { resources, ...(next === undefined ? {} : { next }) };
}

/**
 * A name as the hub shows and exports it: "FAMILY, Given Middle" (HL7 PID-5 is written from the
 * comma; main/export/hl7/build-oru.ts), from the official name when there is one. A name with
 * only `text` is taken as written.
 */
export function displayName(names: readonly z.infer<typeof HumanName>[] | undefined): string | undefined {
  if (names === undefined || names.length === 0) return undefined;
  const chosen = names.find((n) => n.use === 'official') ?? names.find((n) => n.use === 'usual') ?? names.find((n) => n.use !== 'old') ?? names[0];
  if (chosen === undefined) return undefined;
  const family = chosen.family?.trim();
  const given = (chosen.given ?? []).map((g) => g.trim()).filter((g) => g !== '').join(' ');
  const text = family ? (given ? `${family}, ${given}` : family) : given || chosen.text?.trim();
  return text === undefined || text === '' ? undefined : text.slice(0, INPUT_LIMITS.patientName);
}

const SEXES = new Set(['male', 'female', 'other', 'unknown']);
const MR_CODE = 'MR';

/**
 * The MRN among a patient's identifiers: the one of `system` when the source names the MRN's
 * system; otherwise the one typed MR (v2-0203), else the only one. Undefined when none is clear.
 */
export function mrnOf(identifiers: readonly z.infer<typeof Identifier>[] | undefined, system: string | undefined): string | undefined {
  const usable = (identifiers ?? []).filter((i) => i.value !== undefined && i.value.trim() !== '');
  const chosen =
    system !== undefined
      ? usable.find((i) => i.system === system)
      : (usable.find((i) => i.type?.coding?.some((c) => c.code === MR_CODE)) ?? (usable.length === 1 ? usable[0] : undefined));
  const value = chosen?.value?.trim();
  return value === undefined || value.length > INPUT_LIMITS.mrn ? undefined : value;
}

/**
 * A FHIR Patient as the hub keeps it (shared/patients/patient-sources.ts SourcePatient), or
 * undefined when it is not a Patient or carries no usable MRN. `mrn` is the MRN asked for when
 * this answers a look-up (the server matched on it), else the one read from the identifiers.
 */
export function toSourcePatient(resource: unknown, ctx: { sourceId: string; at: string; identifierSystem: string | undefined; mrn?: string }): SourcePatient | undefined {
  const parsed = FhirPatientSchema.safeParse(resource);
  if (!parsed.success) return undefined;
  const p = parsed.data;
  const mrn = ctx.mrn ?? mrnOf(p.identifier, ctx.identifierSystem);
  if (mrn === undefined) return undefined;
  const name = displayName(p.name);
  const birthDate = p.birthDate !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(p.birthDate) ? p.birthDate : undefined;
  const identifiers = (p.identifier ?? []).flatMap((i) =>
    i.value === undefined || i.value === '' || i.value.length > 200 ? [] : [{ value: i.value, ...(i.system === undefined || i.system.length > 500 ? {} : { system: i.system }) }],
  );
  return {
    mrn,
    identifiers,
    ...(name === undefined ? {} : { name }),
    ...(birthDate === undefined ? {} : { birthDate }),
    ...(p.gender !== undefined && SEXES.has(p.gender) ? { sex: p.gender as SourcePatient['sex'] & string } : {}),
    ...(p.id !== undefined && p.id.length <= 64 ? { fhirId: p.id } : {}),
    sourceId: ctx.sourceId,
    verifiedAt: ctx.at,
  };
}

/** The logical id of a `Patient/<id>` reference (relative or absolute), else undefined. */
export function patientIdOf(ref: string | undefined): string | undefined {
  const m = ref === undefined ? null : /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/.*)?$/.exec(ref);
  return m?.[1];
}

const APPOINTMENT_STATES: Record<string, Visit['state']> = { booked: 'planned', 'checked-in': 'arrived', arrived: 'arrived', fulfilled: 'finished' };
const ENCOUNTER_STATES: Record<string, Visit['state']> = { planned: 'planned', arrived: 'arrived', triaged: 'arrived', 'in-progress': 'in-progress', finished: 'finished', cancelled: 'cancelled' };

/** The text of the first reference to `type` among references (its display, else the reference). */
function referenceText(refs: readonly (z.infer<typeof Reference> | undefined)[], type: string): string | undefined {
  const ref = refs.find((r) => r?.reference?.includes(`${type}/`) === true);
  const text = ref?.display ?? ref?.reference;
  return text?.slice(0, 200);
}

/** A visit row without its MRN (known once the patient reference is resolved). */
export type VisitDraft = Omit<Visit, 'mrn'> & { readonly patientId?: string };

/** An Appointment of today as a visit draft; undefined when it is not one the hub shows. */
export function appointmentVisit(resource: unknown, ctx: { sourceId: string; at: string }): VisitDraft | undefined {
  const parsed = AppointmentSchema.safeParse(resource);
  if (!parsed.success) return undefined;
  const a = parsed.data;
  const state = APPOINTMENT_STATES[a.status];
  if (state === undefined || a.id.length > 64) return undefined;
  const actors = (a.participant ?? []).map((p) => p.actor);
  const patientId = actors.map((r) => patientIdOf(r?.reference)).find((id) => id !== undefined);
  const location = referenceText(actors, 'Location');
  return {
    id: `${ctx.sourceId}:Appointment/${a.id}`,
    sourceId: ctx.sourceId,
    state,
    appointmentId: a.id,
    ...(a.start === undefined ? {} : { start: a.start }),
    ...(location === undefined ? {} : { location, room: location.slice(0, 100) }),
    ...(patientId === undefined ? {} : { patientId }),
    updatedAt: ctx.at,
  };
}

/** An Encounter (arrived / in progress) as a visit draft; undefined when it does not parse. */
export function encounterVisit(resource: unknown, ctx: { sourceId: string; at: string }): VisitDraft | undefined {
  const parsed = EncounterSchema.safeParse(resource);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  const state = ENCOUNTER_STATES[e.status];
  if (state === undefined || e.id.length > 64) return undefined;
  const patientId = patientIdOf(e.subject?.reference);
  const location = referenceText((e.location ?? []).map((l) => l.location), 'Location');
  const visitNumber = e.identifier?.find((i) => i.value !== undefined)?.value?.slice(0, 100);
  return {
    id: `${ctx.sourceId}:Encounter/${e.id}`,
    sourceId: ctx.sourceId,
    state,
    encounterId: e.id,
    ...(e.period?.start === undefined ? {} : { start: e.period.start }),
    ...(location === undefined ? {} : { location, room: location.slice(0, 100) }),
    ...(visitNumber === undefined ? {} : { visitNumber }),
    ...(patientId === undefined ? {} : { patientId }),
    updatedAt: ctx.at,
  };
}
