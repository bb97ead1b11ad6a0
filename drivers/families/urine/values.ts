import type { COMPARATORS} from '../../../shared/observation.ts';
import { printedDecimals } from '../../../shared/observation.ts';

export type Comparator = (typeof COMPARATORS)[number];

/** A printed urine value, classified by its form before any mapping. */
export type UrineValue =
  | { form: 'empty' }
  | { form: 'word'; word: string }
  | { form: 'number'; value: number; comparator?: Comparator; unit: string; decimals?: number }
  /** `Ca 10 Ery/uL`, `Apr 200 Hem/uL`, `circa 25 mg/dL`: approximately, which no comparator says. */
  | { form: 'approximate'; value: number; unit: string }
  | { form: 'other' };

/** `500 mg/dL`, `>=1.030`, `≥ 300 mg/dL`, `7.0`, `3.2 umol/L`, `0.2 E.U./dL`, `2000mg/dl`. */
const NUMBER = /^(>=|<=|≥|≤|>|<)?\s*(\d+(?:\.\d+)?)\s*([^\s\d.,].*)?$/;
/** "About": Clinitek English `Apr`, German/Spanish `Ca` / `ca.` / `circa`, `approx`, `~`. */
const APPROXIMATE = /^(?:apr|ca|circa|approx|~)\.?\s*(\d+(?:\.\d+)?)\s*([^\s\d.,]\S*)?$/i;
/** `Negative`, `Trace-intact`, `NEGATIV`, `neg`. */
const WORD = /^[A-Za-z\u00c0-\u00ff]+(?:-[A-Za-z\u00c0-\u00ff]+)*$/;

const WIDE_COMPARATOR: Readonly<Record<string, Comparator>> = { '≥': '>=', '≤': '<=' };

/**
 * Read a number as printed, with its printed decimals. A comma is not read at all: `1,020` may be
 * a decimal comma (SG) or a thousands separator (a count), and a wrong guess is a wrong number, so
 * such values stay as printed text. Non-finite (a run of line noise digits) → undefined.
 */
function readNumber(text: string): { value: number; decimals?: number } | undefined {
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  const decimals = printedDecimals(text);
  return decimals === undefined ? { value } : { value, decimals };
}

/** Classify a printed value (word, number with comparator and unit, approximate count, other). */
export function parseUrineValue(text: string): UrineValue {
  const t = text.trim();
  if (t === '') return { form: 'empty' };
  const approx = APPROXIMATE.exec(t);
  if (approx) {
    const n = readNumber(approx[1] ?? '');
    return n ? { form: 'approximate', value: n.value, unit: approx[2] ?? '' } : { form: 'other' };
  }
  const m = NUMBER.exec(t);
  if (m) {
    const n = readNumber(m[2] ?? '');
    if (!n) return { form: 'other' };
    const raw = m[1];
    const comparator = raw === undefined ? undefined : (WIDE_COMPARATOR[raw] ?? (raw as Comparator));
    return {
      form: 'number',
      value: n.value,
      unit: (m[3] ?? '').trim(),
      ...(comparator ? { comparator } : {}),
      ...(n.decimals === undefined ? {} : { decimals: n.decimals }),
    };
  }
  if (WORD.test(t)) return { form: 'word', word: t };
  return { form: 'other' };
}

/**
 * The printed unit as the catalog spells it, when it is only a spelling of it: urine readers
 * print `mg/dl` for mg/dL and `ul` for µL (URiSCAN). Case is folded only for these, since UCUM
 * is case-sensitive and `mg/dl` cannot mean anything but milligrams per decilitre.
 */
export function catalogSpelling(unit: string): string {
  const u = unit.trim().replace('µ', 'u');
  if (/^mg\/dl$/i.test(u)) return 'mg/dL';
  if (/^(\w+)\/ul$/i.test(u)) return u.replace(/\/ul$/i, '/uL');
  return u;
}
