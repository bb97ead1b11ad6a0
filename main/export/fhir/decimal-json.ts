import { randomUUID } from 'node:crypto';

/**
 * JSON that keeps a decimal's printed digits. FHIR `decimal` is defined by its text: `1.020`
 * states three decimals of precision, `1.02` two (docs/export.md §4). A JavaScript number cannot
 * hold trailing zeros and `JSON.stringify` writes the shortest form, so a value whose printed
 * text matters is marked on the object that holds it, and {@link writeJson} writes that text
 * verbatim as the number literal. The output is ordinary JSON: `JSON.parse` reads it back to
 * the same numbers. Marks live in a WeakMap, so they never show up as properties, never reach
 * a validator, and vanish with the object.
 */

/** holder object or array → property name → the number literal to write for it. */
const marks = new WeakMap<object, Map<string, string>>();

/** A JSON number literal (RFC 8259 §6), the only text a mark may carry. */
const NUMBER_LITERAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Mark `holder[key]` to be written as `text`, e.g. `markDecimal(quantity, 'value', '1.020')`.
 * A text that is not a JSON number literal is refused (it would make the body invalid JSON);
 * a text whose value differs from the property's is ignored at write time, so a stale mark can
 * never change a value.
 * @throws RangeError when `text` is not a JSON number literal.
 */
export function markDecimal(holder: object, key: string, text: string): void {
  if (!NUMBER_LITERAL.test(text)) throw new RangeError(`not a JSON number literal: ${text}`);
  let byKey = marks.get(holder);
  if (!byKey) marks.set(holder, (byKey = new Map()));
  byKey.set(key, text);
}

/** Give `to` (a copy of `from`) the marks `from` has: for code that rebuilds objects. */
export function copyDecimalMarks(from: object, to: object): void {
  const byKey = marks.get(from);
  if (byKey) marks.set(to, new Map(byKey));
}

function markedNumber(holder: object, key: string, value: number): string | undefined {
  const text = marks.get(holder)?.get(key);
  return text !== undefined && Number(text) === value ? text : undefined;
}

function write(value: unknown, holder: object, key: string): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (k: string) => unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? (markedNumber(holder, key, value) ?? JSON.stringify(value)) : 'null';
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'bigint':
      throw new TypeError('a BigInt cannot be written as JSON');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      break;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const items = value.map((item: unknown, i) => write(item, value, String(i)) ?? 'null');
    return `[${items.join(',')}]`;
  }
  const obj = value as Record<string, unknown>;
  const members: string[] = [];
  for (const k of Object.keys(obj)) {
    const text = write(obj[k], obj, k);
    if (text !== undefined) members.push(`${JSON.stringify(k)}:${text}`);
  }
  return `{${members.join(',')}}`;
}

/**
 * `JSON.stringify(value)` (no indentation), except that marked numbers are written as their
 * marked text. Same key order, same escaping, same handling of `undefined` and `toJSON`.
 */
export function writeJson(value: unknown): string {
  return write(value, { '': value }, '') ?? 'null';
}

/** A JSON number literal, matched where a value starts outside strings. */
const NUMBER_AT = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * `JSON.parse(text)` that marks every number whose literal differs from the number's own
 * printing (trailing zeros such as `1.020`, exponents), so `writeJson` of the result (or of a copy made with
 * {@link copyDecimalMarks}) writes those digits again. Undefined when `text` is not JSON.
 */
export function parseJsonKeepingDecimals(text: string): unknown {
  // Each such literal becomes a unique string, read back to a number by the reviver, which
  // knows the holder and key. The random tag cannot occur in the text by chance.
  const tag = `\u0001decimal:${randomUUID()}:`;
  const literals: string[] = [];
  let out = '';
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (inString) {
      out += c;
      if (c === '\\') out += text[i + 1] ?? '';
      else if (c === '"') inString = false;
      i += c === '\\' ? 2 : 1;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER_AT.lastIndex = i;
      const m = NUMBER_AT.exec(text);
      const literal = m?.[0] ?? '';
      if (literal !== '' && String(Number(literal)) !== literal) {
        out += JSON.stringify(`${tag}${literals.length}`);
        literals.push(literal);
        i += literal.length;
        continue;
      }
      if (literal !== '') {
        out += literal;
        i += literal.length;
        continue;
      }
    }
    out += c;
    i += 1;
  }
  try {
    return JSON.parse(out, function revive(this: object, key: string, value: unknown) {
      if (typeof value !== 'string' || !value.startsWith(tag)) return value;
      const literal = literals[Number(value.slice(tag.length))] ?? '';
      markDecimal(this, key, literal);
      return Number(literal);
    });
  } catch {
    return undefined;
  }
}
