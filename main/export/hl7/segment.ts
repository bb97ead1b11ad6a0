import { printedNumber } from '../../../shared/printed-number.ts';
import { escapeHl7 } from './escape.ts';

/**
 * A tiny ER7 writer. Values go in as plain text and are escaped here, in one place, so no
 * caller can forget it; the structure (fields, components) is given as arrays, never as text
 * with delimiters in it.
 */

/** One component's text; undefined or '' for an empty one. */
export type Component = string | undefined;
/** A field: plain text, or its components in order (CWE, XPN, EI…). */
export type Field = Component | readonly Component[];

function encodeField(field: Field): string {
  if (field === undefined) return '';
  if (typeof field === 'string') return escapeHl7(field);
  const parts = field.map((c) => (c === undefined ? '' : escapeHl7(c)));
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.join('^');
}

/** Encode fields 1..n of segment `name`; trailing empty fields are dropped. */
export function segment(name: string, fields: readonly Field[]): string {
  const encoded = fields.map(encodeField);
  while (encoded.length > 0 && encoded[encoded.length - 1] === '') encoded.pop();
  return [name, ...encoded].join('|');
}

/**
 * MSH is the one segment whose first fields are the delimiters themselves: MSH-1 is the `|`
 * and MSH-2 the encoding characters, which must not be escaped. `fields` starts at MSH-3.
 */
export function mshSegment(fields: readonly Field[]): string {
  const rest = segment('MSH', fields).slice('MSH'.length);
  return `MSH|^~\\&${rest}`;
}

/**
 * A number as HL7 NM text: plain decimal, never exponent notation (which NM does not allow),
 * with the decimals the device printed when they are known (`1.020`, not `1.02`).
 */
export function formatNumber(value: number, decimals?: number): string {
  return printedNumber(value, decimals);
}
