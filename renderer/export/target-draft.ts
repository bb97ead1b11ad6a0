import {
  ExportTargetSchema,
  FhirAuthSchema,
  FhirTargetSchema,
  FileTargetSchema,
  Hl7TargetSchema,
  type ExportTarget,
  type FhirAuth,
  type FileFormat,
  type Hl7Profile,
  type TargetKind,
} from '../../shared/export/targets.ts';

/**
 * The settings form's state: every field of every kind as the person typed it (numbers as
 * text, so a half-typed value is not lost), turned into a target and checked with the shared
 * schema on Save. The hub checks again and its answer is the authority.
 */
export interface TargetDraft {
  readonly kind: TargetKind;
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly retryBaseMs: string;
  readonly retryMaxMs: string;
  /** FHIR, and File in the fhir-bundle format. */
  readonly patientIdentifierSystem: string;
  readonly baseUrl: string;
  readonly authType: FhirAuth['type'];
  readonly clientId: string;
  readonly privateKeyFile: string;
  readonly keyId: string;
  readonly alg: 'RS384' | 'ES384';
  readonly scope: string;
  readonly tokenUrl: string;
  readonly caFile: string;
  readonly timeoutMs: string;
  readonly host: string;
  readonly port: string;
  readonly profile: Hl7Profile;
  readonly sendingApplication: string;
  readonly sendingFacility: string;
  readonly receivingApplication: string;
  readonly receivingFacility: string;
  readonly processingId: 'P' | 'T' | 'D';
  readonly patientAssigningAuthority: string;
  readonly ackTimeoutMs: string;
  readonly directory: string;
  readonly format: FileFormat;
}

export type DraftField = keyof TargetDraft;

// The schema's own defaults, taken from parsing the least each kind needs, so they are never
// written twice.
const HL7 = Hl7TargetSchema.parse({ id: 'x', name: 'x', kind: 'hl7', host: 'x', port: 1 });
const FILE = FileTargetSchema.parse({ id: 'x', name: 'x', kind: 'file', directory: 'x' });
const FHIR = FhirTargetSchema.parse({ id: 'x', name: 'x', kind: 'fhir', baseUrl: 'https://x.example', patientIdentifierSystem: 'x' });
const SMART = ((): { alg: TargetDraft['alg']; scope: string } => {
  const auth = FhirAuthSchema.parse({ type: 'smart', clientId: 'x', privateKeyFile: 'x', keyId: 'x' });
  return auth.type === 'smart' ? { alg: auth.alg, scope: auth.scope } : { alg: 'RS384', scope: '' };
})();

/** A blank draft of `kind` with the schema's defaults. */
export function newDraft(kind: TargetKind): TargetDraft {
  return {
    kind,
    id: '',
    name: '',
    enabled: HL7.enabled,
    retryBaseMs: String(HL7.retry.baseMs),
    retryMaxMs: String(HL7.retry.maxMs),
    patientIdentifierSystem: kind === 'file' ? FILE.patientIdentifierSystem : '',
    baseUrl: '',
    authType: 'none',
    clientId: '',
    privateKeyFile: '',
    keyId: '',
    alg: SMART.alg,
    scope: SMART.scope,
    tokenUrl: '',
    caFile: '',
    timeoutMs: String(FHIR.timeoutMs),
    host: '',
    port: '',
    profile: HL7.profile,
    sendingApplication: HL7.sendingApplication,
    sendingFacility: HL7.sendingFacility,
    receivingApplication: HL7.receivingApplication,
    receivingFacility: HL7.receivingFacility,
    processingId: HL7.processingId,
    patientAssigningAuthority: HL7.patientAssigningAuthority,
    ackTimeoutMs: String(HL7.ackTimeoutMs),
    directory: '',
    format: FILE.format,
  };
}

/** The draft of a saved target, for editing it. */
export function draftOf(t: ExportTarget): TargetDraft {
  const common = { ...newDraft(t.kind), id: t.id, name: t.name, enabled: t.enabled, retryBaseMs: String(t.retry.baseMs), retryMaxMs: String(t.retry.maxMs) };
  switch (t.kind) {
    case 'fhir': {
      const smart = t.auth.type === 'smart' ? t.auth : undefined;
      return {
        ...common,
        baseUrl: t.baseUrl,
        patientIdentifierSystem: t.patientIdentifierSystem,
        authType: t.auth.type,
        clientId: smart?.clientId ?? '',
        privateKeyFile: smart?.privateKeyFile ?? '',
        keyId: smart?.keyId ?? '',
        alg: smart?.alg ?? common.alg,
        scope: smart?.scope ?? common.scope,
        tokenUrl: smart?.tokenUrl ?? '',
        caFile: t.caFile ?? '',
        timeoutMs: String(t.timeoutMs),
      };
    }
    case 'hl7':
      return {
        ...common,
        host: t.host,
        port: String(t.port),
        profile: t.profile,
        sendingApplication: t.sendingApplication,
        sendingFacility: t.sendingFacility,
        receivingApplication: t.receivingApplication,
        receivingFacility: t.receivingFacility,
        processingId: t.processingId,
        patientAssigningAuthority: t.patientAssigningAuthority,
        ackTimeoutMs: String(t.ackTimeoutMs),
      };
    case 'file':
      return { ...common, directory: t.directory, format: t.format, patientIdentifierSystem: t.patientIdentifierSystem };
    default:
      return t satisfies never;
  }
}

/** Text → number; empty means "not given" (the schema's default applies, or it says what is missing). */
function num(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text.trim());
}

/** Text → string; empty means "not given". */
function opt(text: string): string | undefined {
  return text.trim() === '' ? undefined : text.trim();
}

/** Leave out what was not given, so the strict schema sees only the fields the person filled in. */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function authOf(d: TargetDraft): Record<string, unknown> {
  if (d.authType !== 'smart') return { type: d.authType };
  return compact({ type: 'smart', clientId: d.clientId, privateKeyFile: d.privateKeyFile, keyId: d.keyId, alg: d.alg, scope: opt(d.scope), tokenUrl: opt(d.tokenUrl) });
}

/** The draft as the target object the schema checks (unchecked). */
function targetInputOf(d: TargetDraft): Record<string, unknown> {
  const common = { id: d.id.trim(), name: d.name, kind: d.kind, enabled: d.enabled, retry: compact({ baseMs: num(d.retryBaseMs), maxMs: num(d.retryMaxMs) }) };
  switch (d.kind) {
    case 'fhir':
      return compact({
        ...common,
        baseUrl: d.baseUrl.trim(),
        patientIdentifierSystem: d.patientIdentifierSystem,
        auth: authOf(d),
        caFile: opt(d.caFile),
        timeoutMs: num(d.timeoutMs),
      });
    case 'hl7':
      return compact({
        ...common,
        host: d.host,
        port: num(d.port),
        profile: d.profile,
        sendingApplication: d.sendingApplication,
        sendingFacility: d.sendingFacility,
        receivingApplication: d.receivingApplication,
        receivingFacility: d.receivingFacility,
        processingId: d.processingId,
        patientAssigningAuthority: d.patientAssigningAuthority,
        ackTimeoutMs: num(d.ackTimeoutMs),
      });
    case 'file':
      return compact({ ...common, directory: d.directory, format: d.format, patientIdentifierSystem: opt(d.patientIdentifierSystem) });
    default:
      return d.kind satisfies never;
  }
}

/** Field names in the form's words, for messages about them. */
const FIELD_TEXT: Readonly<Record<string, string>> = {
  id: 'Id',
  name: 'Name',
  'retry.baseMs': 'First retry wait (ms)',
  'retry.maxMs': 'Longest retry wait (ms)',
  retry: 'Retry waits',
  baseUrl: 'FHIR base URL',
  patientIdentifierSystem: 'Patient identifier system',
  'auth.clientId': 'Client id',
  'auth.privateKeyFile': 'Private key file',
  'auth.keyId': 'Key id',
  'auth.alg': 'Signing algorithm',
  'auth.scope': 'Scope',
  'auth.tokenUrl': 'Token URL',
  caFile: 'CA certificates file',
  timeoutMs: 'Timeout (ms)',
  host: 'Host',
  port: 'Port',
  profile: 'Message profile',
  sendingApplication: 'Sending application',
  sendingFacility: 'Sending facility',
  receivingApplication: 'Receiving application',
  receivingFacility: 'Receiving facility',
  processingId: 'Processing id',
  patientAssigningAuthority: 'MRN assigning authority',
  ackTimeoutMs: 'ACK timeout (ms)',
  directory: 'Directory',
  format: 'File format',
};

type DraftCheck = { ok: true; target: ExportTarget } | { ok: false; problems: string[] };

/** Check the draft with the same schema the hub uses; problems named by the form's labels. */
export function checkDraft(d: TargetDraft): DraftCheck {
  const parsed = ExportTargetSchema.safeParse(targetInputOf(d));
  if (parsed.success) return { ok: true, target: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      // An empty required field: say so, not "expected string to have >=1 characters".
      const empty = issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1;
      // Too long: the limit in words, as the field states it (never "Too big: expected string…").
      const tooLong = issue.code === 'too_big' && issue.origin === 'string' ? `at most ${Number(issue.maximum)} characters` : undefined;
      return `${FIELD_TEXT[path] ?? (path || 'Target')}: ${empty ? 'fill this in' : (tooLong ?? issue.message)}`;
    }),
  };
}
