/**
 * The ASTM E1394 / CLSI LIS2-A2 record layer: a record is one line of text
 * (without its CR) whose first character names its type; fields, repeats and components are
 * separated by delimiters that the message's H record declares (`H|\^&`), and delimiter
 * characters inside data travel as escape sequences (`&F&`, `&S&`, `&R&`, `&E&`).
 *
 * Pure and total: every function here accepts any string and never throws.
 */

/** The four delimiters of a message. */
export interface AstmDelimiters {
  field: string;
  repeat: string;
  component: string;
  escape: string;
}

/** E1394's usual delimiters, used until (or unless) an H record declares its own. */
export const E1394_DEFAULT_DELIMITERS: Readonly<AstmDelimiters> = { field: '|', repeat: '\\', component: '^', escape: '&' };

/**
 * The delimiters an H record declares: the character after `H` is the field delimiter, the next
 * three are repeat, component and escape (E1394). Undefined when the text is not a usable header
 * (too short, repeated or alphanumeric delimiters, or the declaration not closed by the field
 * delimiter).
 */
export function delimitersFromHeader(text: string): AstmDelimiters | undefined {
  if (text.length < 5 || text[0] !== 'H') return undefined;
  const [field, repeat, component, escape] = [text[1], text[2], text[3], text[4]] as [string, string, string, string];
  const all = [field, repeat, component, escape];
  if (new Set(all).size !== 4) return undefined;
  if (all.some((c) => /[A-Za-z0-9\r\n]/.test(c) || c.charCodeAt(0) < 0x20)) return undefined;
  if (text.length > 5 && text[5] !== field) return undefined;
  return { field, repeat, component, escape };
}

/** Replace the four escape sequences by the delimiters they stand for; any other `&…&` stays. */
export function unescapeAstm(text: string, d: AstmDelimiters): string {
  if (!text.includes(d.escape)) return text;
  const map: Record<string, string> = { F: d.field, S: d.component, R: d.repeat, E: d.escape };
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const letter = text[i + 1];
    if (c === d.escape && letter !== undefined && letter in map && text[i + 2] === d.escape) {
      out += map[letter];
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

/** Escape the delimiters in a data value (the inverse of `unescapeAstm`). */
export function escapeAstm(text: string, d: AstmDelimiters): string {
  let out = '';
  for (const c of text) {
    if (c === d.escape) out += `${d.escape}E${d.escape}`;
    else if (c === d.field) out += `${d.escape}F${d.escape}`;
    else if (c === d.component) out += `${d.escape}S${d.escape}`;
    else if (c === d.repeat) out += `${d.escape}R${d.escape}`;
    else out += c;
  }
  return out;
}

/** One record, split into its fields (still escaped: splitting must come before unescaping). */
export interface AstmRecord {
  /** The record type letter (`H`, `P`, `O`, `R`, `C`, `Q`, `L`, `M`, `S`), upper-cased; '' if none. */
  type: string;
  /** The record as received, without its CR. */
  text: string;
  /** Raw field texts; field n (1-based, as the standard numbers them) is `fields[n - 1]`. */
  fields: readonly string[];
  delimiters: AstmDelimiters;
}

/** Split a record into fields with the delimiters given. */
export function splitAstmRecord(text: string, delimiters: AstmDelimiters = E1394_DEFAULT_DELIMITERS): AstmRecord {
  const first = text[0] ?? '';
  const type = /^[A-Za-z]$/.test(first) ? first.toUpperCase() : '';
  return { type, text, fields: text.split(delimiters.field), delimiters };
}

/** Field n (1-based) as received, escapes untouched; '' when the record is shorter. */
export function fieldRaw(record: AstmRecord, n: number): string {
  return record.fields[n - 1] ?? '';
}

/**
 * Field n as data: escapes resolved, inner delimiters kept as they are. Field 2 of an H record
 * is the delimiter declaration and is returned as it stands.
 */
export function fieldText(record: AstmRecord, n: number): string {
  const raw = fieldRaw(record, n);
  if (record.type === 'H' && n === 2) return raw;
  return unescapeAstm(raw, record.delimiters);
}

/** Field n in E1394 order: its repeats, each split into components, all unescaped. */
export function fieldRepeats(record: AstmRecord, n: number): string[][] {
  const d = record.delimiters;
  return fieldRaw(record, n)
    .split(d.repeat)
    .map((repeat) => repeat.split(d.component).map((c) => unescapeAstm(c, d)));
}

/** Component c (1-based) of repeat r (1-based, default 1) of field n; '' when absent. */
export function component(record: AstmRecord, n: number, c: number, r = 1): string {
  return fieldRepeats(record, n)[r - 1]?.[c - 1] ?? '';
}

/**
 * Field n split components first, then repeats inside each component, all unescaped. Some
 * instruments (Bayer meters, Contour PROTOCOL.md §5) put repeat-delimited lists inside a component, e.g.
 * `Bayer7390^01.24\01.04\09.02.20^7390-2336773`, which E1394 order would cut in the wrong place.
 */
export function componentRepeats(record: AstmRecord, n: number): string[][] {
  const d = record.delimiters;
  return fieldRaw(record, n)
    .split(d.component)
    .map((comp) => comp.split(d.repeat).map((r) => unescapeAstm(r, d)));
}

/**
 * Splits the records of a message, taking the delimiters from each H record it meets (a message
 * starts with H, so its declaration holds for the records after it). A header whose declaration
 * is not usable keeps the previous delimiters and is reported.
 */
export class AstmRecordSplitter {
  private current: AstmDelimiters = { ...E1394_DEFAULT_DELIMITERS };

  get delimiters(): AstmDelimiters {
    return { ...this.current };
  }

  split(text: string): { record: AstmRecord; problem?: string } {
    if (text[0] === 'H') {
      const declared = delimitersFromHeader(text);
      if (declared) this.current = declared;
      else return { record: splitAstmRecord(text, this.current), problem: `header record without a usable delimiter declaration: ${text.slice(0, 12)}` };
    }
    return { record: splitAstmRecord(text, this.current) };
  }
}
