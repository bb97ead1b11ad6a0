import { CATALOG, type CatalogEntry } from '../../../shared/catalog.ts';
import { type Interpretation, type Observation, observe, printedDecimals, quantity, unmapped } from '../../../shared/observation.ts';
import type { Reading } from '../../../shared/reading.ts';
import type { TestCodeMap, TestCodeMapEntry } from '../../../shared/test-code-map.ts';
import { URINE_ANALYTES, type UrineAnalyte, urineObservation } from '../../families/urine/index.ts';
import { type AstmMessage, type AstmResult, type AstmSample, astmDateTime } from './decode.ts';

/**
 * A sample → observations, flags, context and device time (PROTOCOL.md §4). Each R record is one
 * observation, in record order. The port's test-code map says which analyte the analyzer's code
 * is; the urine family's vocabulary (drivers/families/urine) then reads the value as every urine
 * driver does — a concentration in the catalog's unit on the Mass/volume code, a grade or word on
 * the Presence code, another unit unmapped under the analyte's code, never converted. A code the
 * map lacks stays unmapped with the analyzer's own code and text (never dropped). PROTOCOL.md §4.2.
 */

/** E1394 abnormal flags the observation model has a word for (PROTOCOL.md §2.4). */
const INTERPRETATION: Readonly<Record<string, Interpretation>> = { N: 'N', A: 'A', H: 'H', L: 'L', HH: 'HH', LL: 'LL' };

/** A number as analyzers print it, with an optional comparator (`>=300`, `< 0.2`, `1.020`). */
const NUMBER = /^(<=|>=|<|>)?\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))$/;

export interface NormalizedSample {
  observations: Observation[];
  flags: string[];
  context: NonNullable<Reading['context']>;
  deviceTime?: string;
}

export function normalizeSample(message: AstmMessage, sample: AstmSample, map: TestCodeMap): NormalizedSample {
  const observations = sample.results.map((r) => observationOf(r, map.get(r.code.toUpperCase())));
  const abnormal = sample.results.some((r) => r.flag !== '' && r.flag !== 'N');
  const flags: string[] = [];
  if (abnormal) flags.push('abnormal');
  const first = sample.results[0];
  const deviceTime = astmDateTime(first?.completed ?? '') ?? astmDateTime(sample.orderTime) ?? astmDateTime(message.headerTime);
  return { observations, flags, context: contextOf(sample, first), ...(deviceTime ? { deviceTime } : {}) };
}

function contextOf(sample: AstmSample, first: AstmResult | undefined): NonNullable<Reading['context']> {
  const context: NonNullable<Reading['context']> = {};
  if (sample.sampleId !== '') context.sampleId = sample.sampleId.slice(0, 60);
  if (first && first.operator !== '') context.operatorId = first.operator.slice(0, 60);
  if (sample.patientId !== '') context.patientId = sample.patientId.slice(0, 60);
  if (sample.patientName !== '') context.patientName = sample.patientName.slice(0, 120);
  if (sample.notes.length > 0) context.notes = sample.notes.slice(0, 20).map((n) => n.slice(0, 2000));
  return context;
}

/** What the analyzer sent, for an unmapped value: the value and its unit as printed. */
function printed(r: AstmResult): string {
  if (r.value === '') return r.status === 'X' ? '(cannot be done)' : '(no value)';
  return r.unit !== '' ? `${r.value} ${r.unit}` : r.value;
}

/** The urine analyte a catalog key belongs to (its Presence or its Mass/volume code). */
function analyteOf(entry: TestCodeMapEntry): UrineAnalyte | undefined {
  return URINE_ANALYTES.find((a) => a.ordinal === entry.key || a.quantity?.key === entry.key);
}

function observationOf(r: AstmResult, entry: TestCodeMapEntry | undefined): Observation {
  const label = r.code !== '' ? r.code : '(no test code)';
  if (!entry) return unmapped(label, printed(r));
  const extra: Pick<Observation, 'interpretation' | 'referenceRange'> = {};
  const interpretation = INTERPRETATION[r.flag];
  if (interpretation) extra.interpretation = interpretation;
  if (r.range !== '') extra.referenceRange = { text: r.range };
  if (r.value === '') return unmapped(label, printed(r), entry.key);
  const analyte = analyteOf(entry);
  if (analyte) {
    // The unit field travels with numbers only: `Negative` with unit mg/dL is the word Negative.
    const unit = unitFor(r.unit, entry);
    const value = /\d/.test(r.value) && unit !== '' ? `${r.value} ${unit}` : r.value;
    const observation = urineObservation({ label, value, analyte });
    return observation.value?.kind === 'unmapped' ? observation : { ...observation, ...extra };
  }
  // A laboratory code outside the urine vocabulary: numbers in the map's unit, the rest as text.
  const catalog: CatalogEntry = CATALOG[entry.key];
  const number = NUMBER.exec(r.value);
  if (catalog.scale === 'Qn' && entry.unit && number) {
    // The R record's unit must be the map's (or absent): another unit is never taken as this one.
    if (r.unit !== '' && !sameUnit(r.unit, entry.unit)) return unmapped(label, printed(r), entry.key);
    const value = Number(number[2]);
    if (!Number.isFinite(value)) return unmapped(label, printed(r), entry.key);
    const comparator = number[1] as '<' | '<=' | '>=' | '>' | undefined;
    return observe(entry.key, quantity(value, entry.unit, comparator, printedDecimals(number[2] ?? '')), extra);
  }
  // Words, grades and numbers under an ordinal code stay text as sent (PROTOCOL.md §4.2); a
  // word keeps no unit (`Negative`, whatever the unit field says), a number keeps its own.
  return observe(entry.key, { kind: 'text', text: number ? printed(r) : r.value }, extra);
}

/**
 * The unit a number of this result is in: the R record's own, else the map's (ASTM sends the unit
 * in a field of its own and some analyzers leave it empty: the map then says it). `pH` and `1`
 * are written as nothing, as the urine vocabulary reads them.
 */
function unitFor(sent: string, entry: TestCodeMapEntry): string {
  if (entry.unit === '[pH]' && sent.trim().toLowerCase() === 'ph') return '';
  if (sent !== '') return sent;
  return entry.unit === undefined || entry.unit === '1' || entry.unit === '[pH]' ? '' : entry.unit;
}

/** Analyzers print UCUM units with their own capitals (`mg/dl`); `1` and `[pH]` are often left out. */
function sameUnit(sent: string, ucum: string): boolean {
  const s = sent.trim().toLowerCase();
  if (s === ucum.toLowerCase()) return true;
  return ucum === '[pH]' && s === 'ph';
}
