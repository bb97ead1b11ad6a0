import { createHash } from 'node:crypto';

/**
 * Identifiers and placeholders that are a pure function of the reading, so that rendering the
 * same confirmed reading twice gives byte-identical bundles and a replay matches the
 * `ifNoneExist` conditions of the first delivery (docs/export.md §2 rule 4, §5).
 */

export const URI_SYSTEM = 'urn:ietf:rfc:3986';
export const HUB_SYSTEM = 'urn:pochub:hub';
export const OPERATOR_SYSTEM = 'urn:pochub:operator';
/**
 * The system of a reading's own id (docs/export.md §5, "Matching FHIR and HL7 copies"): every
 * Observation of a reading and its Provenance carry the lower-case reading UUID under it, the
 * same text HL7 OBR-3 carries, so the FHIR and HL7 copies of one reading can be matched.
 */
export const READING_SYSTEM = 'urn:pochub:reading';

/** POC Hub's own namespace for name-based UUIDs (a fixed random UUID; never change it). */
const POCHUB_NAMESPACE = 'b6f0c0de-5a1e-4c3b-9d2e-0c7e1a9f4b21';

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/** RFC 9562 version-5 UUID (SHA-1, name-based) of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string = POCHUB_NAMESPACE): string {
  const hash = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x50;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A `urn:uuid:` URI, used both as Observation identifier value and as a bundle fullUrl. */
export function urnUuid(uuid: string): string {
  return `urn:uuid:${uuid.toLowerCase()}`;
}

/**
 * The UUID of one observation of a reading. The reading's own UUID when it stands alone (or
 * heads a panel); otherwise derived from the reading UUID plus the member's position and code,
 * so every member of a replayed reading gets the same identifier again.
 */
export function memberUuid(readingId: string, index: number, codeOrLabel: string): string {
  return uuidV5(`${readingId.toLowerCase()}/observation/${index}/${codeOrLabel}`);
}

/** The placeholder of a non-Observation entry (Device, Provenance): stable per name. */
export function entryUuid(name: string): string {
  return uuidV5(`entry/${name}`);
}

/** `urn:pochub:device-serial:<manufacturer>:<model>` style segments: lower-case, dashes only. */
export function slug(text: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? 'unknown' : s;
}

/**
 * A FHIR token search value `system|code` for `ifNoneExist`. FHIR search escapes `\`, `|`, `$`
 * and `,` inside a value with a backslash; the result is then URL-encoded as a query parameter
 * value (a serial such as `S-77|^&~\` must not split the token or the query).
 */
export function tokenQuery(param: string, system: string, value: string): string {
  const esc = (s: string): string => s.replace(/[\\|$,]/g, (c) => `\\${c}`);
  // Keep `:`, `/` and `|` readable (they are legal in a query value); encode everything else.
  const encoded = encodeURIComponent(`${esc(system)}|${esc(value)}`).replace(/%3A/g, ':').replace(/%2F/g, '/').replace(/%7C/g, '|');
  return `${param}=${encoded}`;
}

/** The bundle fullUrl of a resource whose identifier is `identifierUrn`: stable, but never equal to it. */
export function placeholderFor(identifierUrn: string): string {
  return urnUuid(uuidV5(`placeholder/${identifierUrn}`));
}
