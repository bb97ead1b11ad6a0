import { describe, expect, it } from 'vitest';
import { optionProblem } from './driver-options.ts';
import { formatTestCodeMap, MAPPABLE_CODES, parseTestCodeMap, TestCodeMapTextSchema, testCodeMapProblem } from './test-code-map.ts';

describe('test-code maps', () => {
  it('reads entries separated by ; or new lines, upper-cases the analyzer code, fills a single catalog unit', () => {
    const parsed = parseTestCodeMap('glu=5792-7 mg/dL;\nSG=5811-5\n LEU = 5799-2 ;');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect([...parsed.map.values()]).toEqual([
      { code: 'GLU', key: 'urineGlucoseMass', loinc: '5792-7', unit: 'mg/dL' },
      { code: 'SG', key: 'urineSpecificGravity', loinc: '5811-5', unit: '1' },
      { code: 'LEU', key: 'urineLeukocytesPresence', loinc: '5799-2' },
    ]);
    expect(formatTestCodeMap(parsed.map.values())).toBe('GLU=5792-7 mg/dL; SG=5811-5 1; LEU=5799-2');
    expect(parseTestCodeMap('').ok).toBe(true);
  });

  it('refuses, naming the entry: an unknown code, a vital-signs or nominal code, a wrong unit, a unit on an ordinal code, a code twice, bad syntax', () => {
    expect(testCodeMapProblem('ASC=99999-9')).toMatch(/ASC: 99999-9 is not a code in the catalog/);
    expect(testCodeMapProblem('HR=8867-4')).toMatch(/HR: 8867-4 is not a code in the catalog/);
    expect(testCodeMapProblem('COL=5778-6')).toMatch(/COL: 5778-6 is not a code in the catalog/);
    expect(testCodeMapProblem('GLU=5792-7 mmol/L')).toMatch(/GLU: mmol\/L is not a unit of 5792-7/);
    expect(testCodeMapProblem('NIT=5802-4 mg/dL')).toMatch(/NIT: 5802-4 is an ordinal code and takes no unit/);
    expect(testCodeMapProblem('GLU=5792-7 mg/dL; glu=25428-4')).toMatch(/GLU is mapped twice/);
    expect(testCodeMapProblem('GLU 5792-7')).toMatch(/is not <analyzer code>=<LOINC code>/);
    // Every problem of a map is said at once.
    expect(testCodeMapProblem('A=1-1; B=2-2')).toMatch(/A: 1-1 .*; B: 2-2 /);
  });

  it('is checked wherever option values are: optionProblem and the zod schema', () => {
    const option = { key: 'testCodes', type: 'string' as const, format: 'test-code-map' as const };
    expect(optionProblem(option, 'GLU=5792-7 mg/dL')).toBeUndefined();
    expect(optionProblem(option, 'X=0000-0')).toMatch(/^option testCodes: test-code map refused: X: 0000-0/);
    expect(TestCodeMapTextSchema.safeParse('X=0000-0').success).toBe(false);
    expect(MAPPABLE_CODES.every((c) => c.scale !== 'Nom')).toBe(true);
  });
});
