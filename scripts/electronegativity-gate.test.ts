import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACCEPTED_FILE, gate, normalizeIssues, parseAcceptList, type Finding } from './electronegativity-gate.mjs';

/** An issue as electronegativity's API returns it (severity and confidence are objects). */
const issue = (id: string, severity: string, file: string, line = 1) => ({
  id,
  file,
  location: { line, column: 4 },
  severity: { value: ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'].indexOf(severity), name: severity, format: () => severity },
  confidence: { value: 1, name: 'FIRM', format: () => 'FIRM' },
  description: `${id} found`,
  manualReview: id === 'PRELOAD_JS_CHECK',
});

const finding = (check: string, severity: string, file = 'window.ts'): Finding => ({ check, severity, confidence: 'FIRM', file, line: 1, description: '', manualReview: false });
const REASON = 'Reviewed: the preload exposes only the contract methods.';

describe('electronegativity gate', () => {
  it('reads the scanner issues into plain findings', () => {
    expect(normalizeIssues([issue('PRELOAD_JS_CHECK', 'MEDIUM', 'window.ts', 43), issue('CSP_GLOBAL_CHECK', 'LOW', 'N/A')])).toEqual([
      { check: 'PRELOAD_JS_CHECK', severity: 'MEDIUM', confidence: 'FIRM', file: 'window.ts', line: 43, description: 'PRELOAD_JS_CHECK found', manualReview: true },
      { check: 'CSP_GLOBAL_CHECK', severity: 'LOW', confidence: 'FIRM', file: 'N/A', line: 1, description: 'CSP_GLOBAL_CHECK found', manualReview: false },
    ]);
    expect(() => normalizeIssues([{ id: 'X', severity: { name: 'CATASTROPHIC' } }])).toThrow(/unknown severity/);
  });

  it('parses the accept list and insists on a written reason per check', () => {
    expect(parseAcceptList(JSON.stringify({ accepted: [{ check: 'PRELOAD_JS_CHECK', file: 'window.ts', reason: REASON }] }))).toEqual([
      { check: 'PRELOAD_JS_CHECK', file: 'window.ts', reason: REASON },
    ]);
    expect(() => parseAcceptList('[]')).toThrow(/accepted/);
    expect(() => parseAcceptList(JSON.stringify({ accepted: [{ check: 'X', file: 'a.ts' }] }))).toThrow(/"reason"/);
    expect(() => parseAcceptList(JSON.stringify({ accepted: [{ check: 'X', file: 'a.ts', reason: 'ok' }] }))).toThrow(/write the reason out/);
    expect(() => parseAcceptList(JSON.stringify({ accepted: [{ check: 'X', reason: REASON }] }))).toThrow(/"file"/);
  });

  it('blocks MEDIUM and HIGH findings that are not accepted for that file, and flags stale acceptances', () => {
    const accepted = [
      { check: 'PRELOAD_JS_CHECK', file: 'window.ts', reason: REASON },
      { check: 'SANDBOX_JS_CHECK', file: 'gone.ts', reason: REASON },
    ];
    const result = gate(
      [finding('PRELOAD_JS_CHECK', 'MEDIUM'), finding('PRELOAD_JS_CHECK', 'MEDIUM', 'other.ts'), finding('CONTEXT_ISOLATION_JS_CHECK', 'HIGH'), finding('CSP_GLOBAL_CHECK', 'LOW'), finding('X', 'INFORMATIONAL')],
      accepted,
    );
    expect(result.accepted.map((f) => [f.check, f.file, f.reason])).toEqual([['PRELOAD_JS_CHECK', 'window.ts', REASON]]);
    expect(result.blocking.map((f) => [f.check, f.file])).toEqual([
      ['PRELOAD_JS_CHECK', 'other.ts'],
      ['CONTEXT_ISOLATION_JS_CHECK', 'window.ts'],
    ]);
    expect(result.below.map((f) => f.check)).toEqual(['CSP_GLOBAL_CHECK', 'X']);
    expect(result.stale).toEqual([accepted[1]]);
  });

  it('passes a clean scan', () => {
    expect(gate([finding('CSP_GLOBAL_CHECK', 'LOW')], [])).toMatchObject({ blocking: [], accepted: [], stale: [] });
  });

  it('has a committed accept list that parses, each entry with its reason', () => {
    const list = parseAcceptList(readFileSync(ACCEPTED_FILE, 'utf8'));
    expect(list.length).toBeGreaterThan(0);
    for (const entry of list) expect(entry.reason.length).toBeGreaterThan(40);
  });
});
