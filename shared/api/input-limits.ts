/**
 * The longest text each field of the contract accepts, in one place so the schema that refuses a
 * value and the form that states the limit can never disagree (docs/architecture.md §10). The UI
 * shows these numbers next to the field and refuses more with a message, instead of cutting a
 * value silently.
 */
export const INPUT_LIMITS = {
  mrn: 64,
  patientName: 200,
  badgeId: 100,
  pinMin: 4,
  pinMax: 64,
  rejectNote: 500,
  operatorName: 100,
  targetName: 100,
  /** Free-text target settings (FHIR client id, key id, identifier system…). */
  targetText: 200,
  targetSystem: 500,
  targetHost: 255,
  /** HL7 MSH-3…6 and PID-3.4 names. */
  hl7Name: 180,
  scope: 1000,
  url: 2000,
  /** Target ids: lower-case letters, digits and dashes. */
  targetId: 40,
  filePath: 1000,
  /** A port added by hand: a pty path or `host:port`. */
  portPath: 500,
  secret: 10_000,
} as const;

/**
 * Contract field names as a person reads them, for messages built from a schema's complaint
 * ("Badge ID is too long…"). A field not listed here is worded from its camelCase name.
 */
export const FIELD_WORDS: Readonly<Record<string, string>> = {
  mrn: 'MRN',
  name: 'Name',
  birthDate: 'Date of birth',
  badgeId: 'Badge ID',
  pin: 'PIN',
  note: 'Note',
  reason: 'Reason',
  readingId: 'Reading',
  readingIds: 'Readings',
  deviceKey: 'Device',
  portId: 'Port',
  driverId: 'Driver',
  baseUrl: 'Base URL',
  clientId: 'Client ID',
  keyId: 'Key ID',
  privateKeyFile: 'Private key file',
  patientIdentifierSystem: 'Patient identifier system',
  caFile: 'CA certificate file',
  timeoutMs: 'Timeout (ms)',
  ackTimeoutMs: 'Acknowledgement timeout (ms)',
  createLocal: 'New local patient',
  addName: 'Add name',
};

/** `patientIdentifierSystem` → `Patient identifier system` (the listed words when known). */
export function fieldWords(key: string): string {
  const known = FIELD_WORDS[key];
  if (known !== undefined) return known;
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What a text field says under itself: "At most 64 characters." */
export function limitText(max: number): string {
  return `At most ${max} characters.`;
}

/** The message a form shows when a person typed more than the field takes. */
export function tooLongText(field: string, max: number): string {
  return `${field}: at most ${max} characters.`;
}
