import { describe, expect, it } from 'vitest';
import { addRuntimeClosure, expressionAllowed, licenceProblems, type CycloneDx } from './licences.ts';

const ALLOWED = new Set(['MIT', 'Apache-2.0', 'ISC']);

describe('SPDX expressions against the allow-list', () => {
  it('OR needs one allowed choice, AND needs all, parentheses group', () => {
    expect(expressionAllowed('MIT', ALLOWED)).toBe(true);
    expect(expressionAllowed('(MIT OR WTFPL)', ALLOWED)).toBe(true);
    expect(expressionAllowed('GPL-3.0-only OR Apache-2.0', ALLOWED)).toBe(true);
    expect(expressionAllowed('MIT AND GPL-3.0-only', ALLOWED)).toBe(false);
    expect(expressionAllowed('(MIT AND ISC) OR GPL-2.0-only', ALLOWED)).toBe(true);
    expect(expressionAllowed('Apache-2.0 WITH LLVM-exception', ALLOWED)).toBe(true);
    expect(expressionAllowed('GPL-3.0-or-later', ALLOWED)).toBe(false);
  });

  it('refuses what does not parse instead of guessing', () => {
    for (const bad of ['', '(MIT', 'MIT OR', 'AND MIT', 'MIT ISC']) expect(expressionAllowed(bad, ALLOWED), bad).toBe(false);
  });
});

function bom(components: { ref: string; licence?: string; deps?: string[] }[], rootDeps: string[]): CycloneDx {
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: 'urn:uuid:00000000-0000-4000-8000-000000000000',
    version: 1,
    metadata: { timestamp: '2026-01-01T00:00:00Z', component: { 'bom-ref': 'app@1.0.0', name: 'app', version: '1.0.0' } },
    components: components.map((c) => {
      const [name = '', version = ''] = c.ref.split('@');
      return { 'bom-ref': c.ref, type: 'library', name, version, purl: `pkg:npm/${c.ref}`, ...(c.licence ? { licenses: [{ expression: c.licence }] } : {}) };
    }),
    dependencies: [{ ref: 'app@1.0.0', dependsOn: rootDeps }, ...components.map((c) => ({ ref: c.ref, dependsOn: c.deps ?? [] }))],
  };
}

describe('licence problems', () => {
  it('names components with a refused or missing licence', () => {
    const b = bom([{ ref: 'a@1.0.0', licence: 'MIT' }, { ref: 'b@2.0.0', licence: 'GPL-3.0-only' }, { ref: 'c@3.0.0' }], []);
    expect(licenceProblems(b, [...ALLOWED])).toEqual([
      { component: 'b@2.0.0', licence: 'GPL-3.0-only' },
      { component: 'c@3.0.0', licence: undefined },
    ]);
  });
});

describe('runtime closure', () => {
  it('adds back a runtime dependency (and its own) that --omit dev dropped, never a dev-only one', () => {
    const full = bom([{ ref: 'keep@1.0.0' }, { ref: 'react@19.0.0', deps: ['sched@1.0.0'] }, { ref: 'sched@1.0.0' }, { ref: 'vitest@4.0.0', deps: ['react@19.0.0'] }], ['keep@1.0.0', 'react@19.0.0', 'vitest@4.0.0']);
    const omitted = bom([{ ref: 'keep@1.0.0' }], ['keep@1.0.0']);
    expect(addRuntimeClosure(omitted, full, ['keep', 'react'])).toEqual(['react@19.0.0', 'sched@1.0.0']);
    expect(omitted.components.map((c) => c.name)).toEqual(['keep', 'react', 'sched']);
    expect(omitted.dependencies?.[0]?.dependsOn).toEqual(['keep@1.0.0', 'react@19.0.0']);
  });
});
