import { z } from 'zod';
import { CATALOG, type CatalogEntry, type CatalogKey } from './catalog.ts';
import type { UcumCode } from './units.ts';

/**
 * The test-code map of an ASTM analyzer's port (docs/test-code-maps.md): which catalog code each
 * of the analyzer's own test codes (`GLU`, `BLO`, `LEU` in the R record's universal test ID) is,
 * and in which unit the analyzer sends it. Analyzers name their tests differently, so biomed staff
 * keep one map per port; it travels as a driver option value (the Devices screen, the API and the
 * configuration file all check it here), written as text:
 *
 *     GLU=5792-7 mg/dL; BIL=5770-3; SG=5811-5 1; PH=5803-2 [pH]
 *
 * Entries are separated by `;` or new lines; each is `<analyzer code>=<LOINC> [<UCUM unit>]`.
 * The LOINC code must be in the catalog (shared/catalog.ts) and the unit one the catalog allows
 * for it; a quantitative code whose catalog lists a single unit may leave the unit out.
 */

/** One entry: the analyzer's code, the catalog key it maps to, and the unit of a quantity. */
export interface TestCodeMapEntry {
  /** The analyzer's test code as it sends it, upper-cased for matching (`GLU`, `PH`). */
  code: string;
  key: CatalogKey;
  loinc: string;
  /** Quantitative codes: the UCUM unit the analyzer's numbers are in. */
  unit?: UcumCode;
}

/** A parsed map, by upper-cased analyzer code. */
export type TestCodeMap = ReadonlyMap<string, TestCodeMapEntry>;

/** An analyzer code: letters, digits and a few marks, as E1394 universal test IDs carry them. */
const ANALYZER_CODE = /^[A-Za-z0-9][A-Za-z0-9._\-/#%]{0,19}$/;

const KEYS_BY_LOINC = new Map<string, CatalogKey>(
  (Object.entries(CATALOG) as [CatalogKey, CatalogEntry][]).map(([key, entry]) => [entry.loinc, key]),
);

/** Every laboratory code a map may name, for editors: LOINC, display, scale and units. */
export const MAPPABLE_CODES: readonly { loinc: string; display: string; scale: CatalogEntry['scale']; units: readonly string[] }[] = (
  Object.values(CATALOG) as CatalogEntry[]
)
  .filter((e) => e.category === 'laboratory' && e.scale !== 'Nom')
  .map((e) => ({ loinc: e.loinc, display: e.display, scale: e.scale, units: e.units }));

/** The result of reading a map's text: the map, or every problem found (each names its entry). */
export type TestCodeMapParse = { ok: true; map: TestCodeMap } | { ok: false; problems: string[] };

/** Split a map's text into its entry texts (empty ones dropped). */
export function testCodeMapEntries(text: string): string[] {
  return text
    .split(/[;\n\r]+/)
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
}

/** One entry's text → the entry, or why it is refused. */
export function parseTestCodeMapEntry(text: string): { ok: true; entry: TestCodeMapEntry } | { ok: false; problem: string } {
  const m = /^([^=\s]+)\s*=\s*(\S+)(?:\s+(\S+))?$/.exec(text.trim());
  if (!m) return { ok: false, problem: `"${text}" is not <analyzer code>=<LOINC code> [unit]` };
  const [, code = '', loinc = '', unit] = m;
  if (!ANALYZER_CODE.test(code)) return { ok: false, problem: `"${code}" is not a test code an analyzer sends (letters and digits, at most 20)` };
  const key = KEYS_BY_LOINC.get(loinc);
  const entry = key ? (CATALOG[key] as CatalogEntry) : undefined;
  if (!key || !entry || entry.category !== 'laboratory' || entry.scale === 'Nom') {
    return { ok: false, problem: `${code}: ${loinc} is not a code in the catalog (the map may name the laboratory codes of shared/catalog.ts only)` };
  }
  if (entry.scale === 'Qn') {
    const given = unit ?? (entry.units.length === 1 ? entry.units[0] : undefined);
    if (given === undefined) return { ok: false, problem: `${code}: ${loinc} needs a unit (one of ${entry.units.join(', ')})` };
    const chosen = entry.units.find((u) => u === given);
    if (chosen === undefined) return { ok: false, problem: `${code}: ${given} is not a unit of ${loinc} (allowed: ${entry.units.join(', ')})` };
    return { ok: true, entry: { code: code.toUpperCase(), key, loinc, unit: chosen } };
  }
  if (unit !== undefined) return { ok: false, problem: `${code}: ${loinc} is an ordinal code and takes no unit` };
  return { ok: true, entry: { code: code.toUpperCase(), key, loinc } };
}

/** Read a map's text; an analyzer code given twice is refused (which one was meant?). */
export function parseTestCodeMap(text: string): TestCodeMapParse {
  const problems: string[] = [];
  const map = new Map<string, TestCodeMapEntry>();
  for (const part of testCodeMapEntries(text)) {
    const parsed = parseTestCodeMapEntry(part);
    if (!parsed.ok) {
      problems.push(parsed.problem);
      continue;
    }
    if (map.has(parsed.entry.code)) problems.push(`${parsed.entry.code} is mapped twice`);
    map.set(parsed.entry.code, parsed.entry);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, map };
}

/** Why a map's text is refused (every problem, joined), or undefined when it is a valid map. */
export function testCodeMapProblem(text: string): string | undefined {
  const parsed = parseTestCodeMap(text);
  return parsed.ok ? undefined : `test-code map refused: ${parsed.problems.join('; ')}`;
}

/** A map back to its text, in the order given. */
export function formatTestCodeMap(entries: Iterable<Pick<TestCodeMapEntry, 'code' | 'loinc' | 'unit'>>): string {
  return [...entries].map((e) => `${e.code}=${e.loinc}${e.unit ? ` ${e.unit}` : ''}`).join('; ');
}

/** zod check of a map's text, for trust boundaries that take one on its own. */
export const TestCodeMapTextSchema = z.string().max(4000).superRefine((text, ctx) => {
  const problem = testCodeMapProblem(text);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});
