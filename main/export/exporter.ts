import { HubError, isHubError } from '../../shared/errors.ts';
import type { TargetKind } from '../../shared/export/targets.ts';
import type { Reading } from '../../shared/reading.ts';
import type { PatientIdentifier, PatientSex } from '../../shared/patients/patient-sources.ts';

/**
 * The one contract between the outbox and an exporter (FHIR, HL7 v2, file). The outbox owns
 * state, order, retries and durability; an exporter only turns one confirmed reading into bytes
 * (`render`, once, before the first send — the result is persisted and reused unchanged on
 * every retry) and delivers those bytes (`send`), saying what the receiver answered.
 */

/** One confirmed reading on its way to one target: everything an exporter may put in a message. */
export interface ExportItem {
  /** The outbox row: one per (reading, target). */
  readonly outboxId: number;
  /** The reading's UUID: the stable identity of the result (FHIR Observation.identifier, OBR-3, file name). */
  readonly readingId: string;
  /**
   * Minted and persisted when the reading was confirmed, unique per outbox row, at most 20
   * characters of [A-Z0-9] (fits HL7 v2.5.1 MSH-10). Reused unchanged on every retry.
   */
  readonly controlId: string;
  /** The reading as the device sent it (validated Reading JSON). Kind is always `patient`. */
  readonly reading: Reading;
  /**
   * The patient it was confirmed for: MRN and at least one more identifier; with what a patient
   * source vouched for when one did (`fhirId`: the EHR's Patient id, for a literal reference).
   */
  readonly patient: {
    readonly mrn: string;
    readonly name?: string;
    readonly birthDate?: string;
    readonly sex?: PatientSex;
    readonly fhirId?: string;
    readonly identifiers?: readonly PatientIdentifier[];
  };
  /** The encounter the reading was taken in, when one was selected with the patient. */
  readonly visit?: { readonly encounterId?: string; readonly visitNumber?: string };
  /** Who confirmed it, and when (ISO 8601 UTC). */
  readonly confirmedBy: { readonly id: string; readonly name: string };
  readonly confirmedAt: string;
  /** True for a value entered by hand (no device performed it). */
  readonly manual: boolean;
  /** Human label of the device, e.g. "Masimo Rad-8 (SN 0000056661)". */
  readonly deviceLabel: string;
  /** This workstation's name (the hub that assembled the result). */
  readonly workstation: string;
}

/**
 * The reading's business key as every output writes it: its UUID in lower case (HL7 OBR-3, FHIR
 * `urn:pochub:reading` identifiers), so the copies of one reading match (docs/export.md §5).
 */
export function readingKey(readingId: string): string {
  return readingId.toLowerCase();
}

/** What `render` produced: stored in the outbox row and sent, byte for byte, on every attempt. */
export interface RenderedPayload {
  readonly body: string;
  /** e.g. `application/fhir+json`, `x-application/hl7-v2+er7`, `application/x-ndjson`, `text/csv`. */
  readonly contentType: string;
}

/**
 * The content of a reading cannot be exported (it fails validation, or lacks what the target
 * needs): an `EXPORT_CONTENT` HubError with the issues in `details.issues`. The outbox marks the
 * row dead with its message, which lists the issues; nothing is sent.
 */
export function exportContentError(message: string, issues: readonly string[] = []): HubError {
  return new HubError('EXPORT_CONTENT', issues.length === 0 ? message : `${message}: ${issues.join('; ')}`, { details: { issues: [...issues] } });
}

/** The issues an `EXPORT_CONTENT` error lists (none for any other error). */
export function contentIssues(e: unknown): readonly string[] {
  const issues = isHubError(e, 'EXPORT_CONTENT') ? e.details?.['issues'] : undefined;
  return Array.isArray(issues) ? issues.filter((i): i is string => typeof i === 'string') : [];
}

/**
 * What one delivery attempt ended with.
 * - `done`: the receiver holds it (FHIR 200/201, HL7 AA/CA, file renamed into place).
 * - `retry`: not delivered, try the same bytes again later (network error, timeout, 5xx, 429, AR).
 * - `dead`: the receiver refused the content; resending it unchanged cannot help (4xx, AE, 412).
 * `status` is short and machine-readable (`HTTP 201`, `AA`, `ECONNREFUSED`, `timeout`);
 * `response` is what the receiver said (truncated by the outbox), kept with the attempt.
 */
export type SendOutcome =
  | { readonly result: 'done'; readonly status: string; readonly response: string }
  | { readonly result: 'retry' | 'dead'; readonly status: string; readonly response: string; readonly message: string };

export interface SendContext {
  readonly controlId: string;
  readonly readingId: string;
  /** Aborted when the hub stops: end the attempt quickly with `retry`. */
  readonly signal: AbortSignal;
}

/** The answer of "test connection". */
export interface ConnectionTestResult {
  readonly ok: boolean;
  /** One plain sentence for the admin, e.g. "Connected: the server speaks FHIR 4.0.1." */
  readonly message: string;
}

export interface Exporter {
  readonly kind: TargetKind;
  /**
   * Build and validate the message for one reading. Pure apart from reading configuration:
   * no network. @throws HubError EXPORT_CONTENT when the content is invalid or incomplete.
   */
  render(item: ExportItem): Promise<RenderedPayload>;
  /**
   * Deliver one rendered payload and classify the answer. Never throws for network or receiver
   * problems (those are `retry` or `dead`); throws only on a bug.
   */
  send(payload: RenderedPayload, ctx: SendContext): Promise<SendOutcome>;
  /** Check the target is reachable and answers as expected, without exporting anything. */
  test(signal: AbortSignal): Promise<ConnectionTestResult>;
  /** Release sockets and timers. */
  close(): Promise<void>;
}

/** Everything an exporter factory may need besides the target's own settings. */
export interface ExporterDeps {
  /** The target's secret (bearer token), if one is stored. */
  readonly secret?: string;
  /** The clock, epoch ms (tests pass a fake one). */
  readonly now?: () => number;
}
