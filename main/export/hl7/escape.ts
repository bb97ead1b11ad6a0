/**
 * HL7 v2 escaping of text values (v2.5.1 ch. 2.7). The hub always uses the standard encoding
 * characters `|^~\&`; MSH-2 says so, and every value put between them goes through `escapeHl7`.
 * Neither Medplum's parser nor its getters decode escapes (docs/export.md §10), so whatever the hub
 * reads back from a receiver goes through `unescapeHl7`.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\E\\',
  '|': '\\F\\',
  '^': '\\S\\',
  '&': '\\T\\',
  '~': '\\R\\',
};

/**
 * Control characters are sent as hex escapes (`\X0D\`) rather than raw: a raw CR would end the
 * segment, and a raw 0x1C followed by the segment's CR would end the MLLP frame early.
 */
const NEEDS_ESCAPE = /[\\|^&~\u0000-\u001f\u007f]/g;

export function escapeHl7(value: string): string {
  return value.replace(NEEDS_ESCAPE, (ch) => ESCAPES[ch] ?? `\\X${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}\\`);
}

const UNESCAPES: Readonly<Record<string, string>> = { E: '\\', F: '|', S: '^', T: '&', R: '~' };

/** One escape sequence: a letter code, a hex run, or a formatting command such as `.br`. */
const SEQUENCE = /\\(E|F|S|T|R|X(?:[0-9A-Fa-f]{2})+|\.br|H|N)\\/g;

/**
 * Decode the escapes a receiver may use. Hex runs are bytes in the message's charset (UTF-8 for
 * the hub); `\.br\` is a line break; highlighting on/off (`\H\`, `\N\`) carries no text.
 * Anything else is left as it stands, so nothing a receiver said is lost.
 */
export function unescapeHl7(value: string): string {
  return value.replace(SEQUENCE, (_all, code: string) => {
    if (code in UNESCAPES) return UNESCAPES[code] ?? '';
    if (code === '.br') return '\n';
    if (code === 'H' || code === 'N') return '';
    return Buffer.from(code.slice(1), 'hex').toString('utf8');
  });
}
