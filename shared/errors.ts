/**
 * Error codes that cross layers. Expected errors carry one of these codes and a plain-words
 * message for the user; anything else is a bug and is logged loudly (docs/architecture.md §14).
 */
export const ERROR_CODES = [
  'TRANSPORT_NOT_FOUND',
  'TRANSPORT_OPEN_FAILED',
  'TRANSPORT_CLOSED',
  'TRANSPORT_TIMEOUT',
  'TRANSPORT_ACCESS_DENIED',
  'TRANSPORT_LIST_FAILED',
  'PROTOCOL_CHECKSUM',
  'PROTOCOL_GARBAGE',
  'PROTOCOL_TRUNCATED',
  'PROTOCOL_UNEXPECTED',
  'DEVICE_ERROR',
  'DEVICE_NO_RESPONSE',
  'TRACE_INVALID',
  'REPLAY_MISMATCH',
  'CONFIG_INVALID',
  'STORE_FAILED',
  // The data folder has no room left (SQLITE_FULL, or a write error on the disk): free space.
  'STORAGE_FULL',
  // The data folder cannot be written (read-only, no permission, cannot create the file).
  'STORAGE_READONLY',
  'DRIVER_UNKNOWN',
  'INPUT_INVALID',
  'CANCELLED',
  'AUTH_REQUIRED',
  'AUTH_FAILED',
  // The session was locked after inactivity: its operator's PIN (or another badge) opens it again.
  'LOCKED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PATIENT_REQUIRED',
  'PENDING_DECISION_REQUIRED',
  'AUDIT_BROKEN',
  // Export to a target (details.status: the short status the outbox row keeps, e.g. `ECONNREFUSED`).
  // The request got no answer (refused, timeout, untrusted certificate…): try again later.
  'EXPORT_NETWORK',
  // The hub could not get or present credentials for the target: try again once they are fixed.
  'EXPORT_AUTH',
  // The reading cannot become a valid message for the target (details.issues): never sent.
  'EXPORT_CONTENT',
  // A target did not answer as expected when a person tested it: what to fix is in the message.
  'EXPORT_TEST_FAILED',
  // A bug in the hub (logged loudly); the user is told it happened, not what it was.
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An expected failure with a machine-readable code and a message a person can act on. */
export class HubError extends Error {
  override readonly name = 'HubError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.details = options?.details;
  }
  readonly details: Record<string, unknown> | undefined;
}

/**
 * Cancellation is its own type so callers never mistake it for a failure: `instanceof
 * CancelledError` tells it apart from every other HubError. Its code, CANCELLED, is what
 * crosses the API (and what a command line prompt ends with, exit 130).
 */
export class CancelledError extends HubError {
  constructor(reason = 'cancelled') {
    super('CANCELLED', reason);
  }
}

/** True for a HubError; with codes, only for a HubError carrying one of them. */
export function isHubError(e: unknown, ...codes: readonly ErrorCode[]): e is HubError {
  return e instanceof HubError && (codes.length === 0 || codes.includes(e.code));
}

