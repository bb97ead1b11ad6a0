import type { z } from 'zod';
import { issueSentence } from '../../../shared/api/issue-words.ts';
import { FhirPatientSourceSchema, PatientSourceSchema, type PatientSource } from '../../../shared/patients/patient-sources.ts';

export type SourceKind = PatientSource['kind'];

/**
 * The patient source form's state, every field as typed (numbers as text, senders one a line),
 * turned into a source and checked with the shared schema on Save; the hub checks again.
 */
export interface SourceDraft {
  readonly kind: SourceKind;
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly baseUrl: string;
  readonly identifierSystem: string;
  readonly location: string;
  readonly authType: 'none' | 'bearer';
  readonly timeoutMs: string;
  readonly listen: string;
  readonly senders: string;
}

export type SourceField = Exclude<keyof SourceDraft, 'kind'>;
/** Per field, why it was refused; `form` for what belongs to no field. */
export type FieldErrors = Partial<Record<SourceField | 'form', string>>;

// The schema's own default, so it is never written twice.
const FHIR = FhirPatientSourceSchema.parse({ id: 'x', name: 'x', kind: 'fhir', baseUrl: 'https://x.example' });

/** A blank draft of `kind` with the schema's defaults. */
export function newSourceDraft(kind: SourceKind): SourceDraft {
  return { kind, id: '', name: '', enabled: FHIR.enabled, baseUrl: '', identifierSystem: '', location: '', authType: 'none', timeoutMs: String(FHIR.timeoutMs), listen: '', senders: '' };
}

/** The draft of a saved source, for changing it. */
export function sourceDraftOf(s: PatientSource): SourceDraft {
  const common = { ...newSourceDraft(s.kind), id: s.id, name: s.name, enabled: s.enabled };
  if (s.kind === 'hl7-adt') return { ...common, listen: s.listen, senders: (s.senders ?? []).join('\n') };
  // SMART auth is set from the CLI or the configuration file; this form offers none and bearer.
  return { ...common, baseUrl: s.baseUrl, identifierSystem: s.identifierSystem ?? '', location: s.location ?? '', authType: s.auth.type === 'bearer' ? 'bearer' : 'none', timeoutMs: String(s.timeoutMs) };
}

const opt = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim());
const num = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text.trim()));

/**
 * The draft as the object the schema checks. A saved source's other settings the form does not
 * show (SMART auth, CA file) are kept from `saved`, so changing the name does not drop them.
 */
function sourceInputOf(d: SourceDraft, saved: PatientSource | undefined): Record<string, unknown> {
  const common = { id: d.id.trim(), name: d.name, kind: d.kind, enabled: d.enabled };
  if (d.kind === 'hl7-adt') {
    const senders = d.senders.split('\n').map((s) => s.trim()).filter((s) => s !== '');
    return { ...common, listen: d.listen.trim(), ...(senders.length > 0 ? { senders } : {}) };
  }
  const before = saved?.kind === 'fhir' ? saved : undefined;
  const keepAuth = before !== undefined && before.auth.type === 'smart' && d.authType === 'none';
  return Object.fromEntries(
    Object.entries({
      ...common,
      baseUrl: d.baseUrl.trim(),
      identifierSystem: opt(d.identifierSystem),
      location: opt(d.location),
      auth: keepAuth ? before.auth : { type: d.authType },
      caFile: before?.caFile,
      timeoutMs: num(d.timeoutMs),
    }).filter(([, v]) => v !== undefined),
  );
}

const FIELDS: ReadonlySet<string> = new Set<SourceField>(['id', 'name', 'enabled', 'baseUrl', 'identifierSystem', 'location', 'timeoutMs', 'listen', 'senders']);

/** The form field a schema path is about (`source.baseUrl`, `auth.type`, `senders.2`), else `form`. */
export function fieldOfPath(path: readonly PropertyKey[]): SourceField | 'form' {
  const parts = path.map(String).filter((p) => p !== 'source');
  const head = parts[0];
  if (head === 'auth') return 'form';
  return head !== undefined && FIELDS.has(head) ? (head as SourceField) : 'form';
}

/** Schema issues as one sentence per field (the first issue of each field). */
export function fieldErrorsOf(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = fieldOfPath(issue.path);
    errors[field] ??= issueSentence(issue);
  }
  return errors;
}

export type SourceCheck = { ok: true; source: PatientSource } | { ok: false; errors: FieldErrors };

/** Check the draft with the schema the hub uses; the refusals by field. */
export function checkSourceDraft(d: SourceDraft, saved?: PatientSource): SourceCheck {
  const parsed = PatientSourceSchema.safeParse(sourceInputOf(d, saved));
  return parsed.success ? { ok: true, source: parsed.data } : { ok: false, errors: fieldErrorsOf(parsed.error.issues) };
}
