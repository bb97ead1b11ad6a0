import type { OrdinalCode } from '../../../shared/observation.ts';
import type { UrineAnalyte } from './analytes.ts';

/**
 * Result words of every urine driver, lower-cased, to the normalized grades. English (Clinitek,
 * Mission U120 `neg`/`pos`), Spanish (Clinitek), German (Clinitek 50 `NEGATIV`). Words marked
 * [INFERRED] follow the strip makers' grading charts in those languages but no capture we hold
 * shows them; a word not here stays unmapped with its text, never guessed.
 */
export const URINE_WORDS: Readonly<Record<string, OrdinalCode>> = {
  // English
  negative: 'neg',
  neg: 'neg',
  trace: 'trace',
  'trace-intact': 'trace',
  'trace-lysed': 'trace',
  small: 'small',
  moderate: 'moderate',
  large: 'large',
  positive: 'pos',
  pos: 'pos',
  normal: 'normal',
  norm: 'normal',
  // Spanish
  negativo: 'neg',
  positivo: 'pos',
  trazas: 'trace', // [INFERRED]
  // German
  negativ: 'neg',
  positiv: 'pos',
  spur: 'trace', // [INFERRED]
  spuren: 'trace', // [INFERRED]
};

/**
 * Symbol grades: `-`, `+-` / `+/-` / `±` (trace), `1+`…`4+`, and the repeated-plus style of the
 * fixed-layout readers (`++` = 2+, `+++` = 3+, `++++` = 4+). A bare `+` is `pos` for analytes that
 * are only ever negative or positive (nitrite) and `1+` otherwise.
 */
const SYMBOLS: Readonly<Record<string, OrdinalCode>> = {
  '-': 'neg',
  '+-': 'trace',
  '+/-': 'trace',
  '±': 'trace',
  '1+': '1+',
  '2+': '2+',
  '3+': '3+',
  '4+': '4+',
  '++': '2+',
  '+++': '3+',
  '++++': '4+',
};

/** A grade column's leading symbol: what {@link splitGrade} peels off a value printed against it. */
const GRADE_PREFIX = /^(\+\/-|\+-|±|[1-4]\+|\+{1,4}|-)(?=\s|\d|$)/;

/** The grade a printed word or symbol stands for (for this analyte), or undefined. */
export function urineGrade(text: string, analyte?: UrineAnalyte): OrdinalCode | undefined {
  const t = text.trim();
  if (t === '+') return analyte?.positiveOnly ? 'pos' : '1+';
  if (Object.hasOwn(SYMBOLS, t)) return SYMBOLS[t];
  const key = t.toLowerCase();
  const own = analyte?.words;
  if (own && Object.hasOwn(own, key)) return own[key];
  return Object.hasOwn(URINE_WORDS, key) ? URINE_WORDS[key] : undefined;
}

/**
 * Split a grade printed hard against its value (`++++2000`, `3+ 500`): the leading symbol grade
 * and the rest. A value with no leading grade symbol comes back whole. `-5` is not split (a
 * minus before a digit is a sign, not a grade: no urine pad prints one, so it stays as printed).
 */
export function splitGrade(text: string): { grade?: string; rest: string } {
  const t = text.trim();
  if (/^-\d/.test(t)) return { rest: t };
  const m = GRADE_PREFIX.exec(t);
  if (!m?.[1]) return { rest: t };
  return { grade: m[1], rest: t.slice(m[1].length).trim() };
}
