/**
 * The assistant's workflow (docs/architecture.md §8): operators and sign-in, patient context,
 * review (confirm / reject / manual entry), QC routing and the hash-chained audit log.
 * main/api builds one {@link HubWorkflow} over the open store and serves it through the contract.
 */
export type { Workflow } from './workflow.ts';
export { HubWorkflow, HISTORY_LIMIT } from './hub-workflow.ts';
export { AUDIT_LIST_DEFAULT, AUDIT_LIST_MAX, AuditLog, GENESIS_HASH, auditRowHash, verifyAuditRows, type AuditEvent, type AuditVerification } from './audit-log.ts';
export { NewOperatorSchema, OperatorDirectory, SIGN_IN_FAILURES_BEFORE_LOCK, SIGN_IN_LOCK_MS, type NewOperator, type OperatorListing } from './operators.ts';
export { PIN_PATTERN, SCRYPT_DEFAULTS, hashPin, verifyPin } from './pin-hash.ts';
export { MANUAL_DEVICE, MANUAL_DRIVER } from './manual-reading.ts';
