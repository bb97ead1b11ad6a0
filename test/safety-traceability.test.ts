/**
 * docs/safety-requirements.md stays true: every safety rule id is named by a test (a
 * `// safety: SR-…` tag above it, or its title), the listed code exists, and no test names an id
 * the document does not hold.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.ts';

interface Rule {
  id: string;
  code: string[];
  tests: string[];
}

const ID = /SR-[A-Z]+-\d+/g;
/** Folders that hold no tests of ours. */
const SKIP = new Set(['node_modules', '.git', 'dist', 'out', '.tsbuild', 'coverage', 'build']);

/** The table rows of the document: `| id | rule | code | tests |`. */
function rules(): Rule[] {
  const text = readFileSync(join(ROOT, 'docs', 'safety-requirements.md'), 'utf8');
  const paths = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
  return text
    .split('\n')
    .filter((l) => /^\| SR-[A-Z]+-\d+ \|/.test(l))
    .map((l) => {
      const cells = l.split(' | ');
      return { id: (cells[0] ?? '').replace('| ', ''), code: paths(cells[2] ?? ''), tests: paths(cells[3] ?? '') };
    });
}

function testFiles(dir: string, found: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP.has(e.name)) testFiles(join(dir, e.name), found);
    } else if (/\.test\.tsx?$/.test(e.name)) found.push(join(dir, e.name));
  }
  return found;
}

/** The ids a test file names: in `// safety:` tags and in it/test/describe titles. */
function namedIds(text: string): Set<string> {
  const ids = new Set<string>();
  for (const m of text.matchAll(/\/\/\s*safety:([^\n]*)/g)) for (const id of (m[1] ?? '').matchAll(ID)) ids.add(id[0]);
  for (const m of text.matchAll(/\b(?:it|test|describe)(?:\.\w+)*(?:\([^)]*\))?\(\s*(['"`])((?:(?!\1).)*)\1/g)) for (const id of (m[2] ?? '').matchAll(ID)) ids.add(id[0]);
  return ids;
}

const RULES = rules();
const named = new Map<string, Set<string>>();
for (const file of testFiles(ROOT)) {
  if (file.endsWith('safety-traceability.test.ts')) continue;
  const ids = namedIds(readFileSync(file, 'utf8'));
  if (ids.size > 0) named.set(relative(ROOT, file), ids);
}

describe('safety traceability (docs/safety-requirements.md)', () => {
  it('lists the rules with unique ids', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(20);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });

  it.each(RULES.map((r) => [r.id, r] as const))('%s is enforced by code that exists and proven by a test naming it', (id, rule) => {
    expect(rule.code.length, `${id}: no code listed`).toBeGreaterThan(0);
    for (const c of rule.code) expect(existsSync(join(ROOT, c)), `${id}: ${c} does not exist`).toBe(true);
    const naming = [...named].filter(([, ids]) => ids.has(id)).map(([f]) => f);
    expect(naming, `${id}: no test names it (add "// safety: ${id}" above the test that proves it)`).not.toEqual([]);
    for (const t of rule.tests) expect(named.get(t)?.has(id), `${id}: ${t} is listed but does not name it`).toBe(true);
  });

  it('no test names an id the document does not hold', () => {
    const known = new Set(RULES.map((r) => r.id));
    const unknown = [...named].flatMap(([f, ids]) => [...ids].filter((id) => !known.has(id)).map((id) => `${f}: ${id}`));
    expect(unknown).toEqual([]);
  });

  it('the tag and title forms are both found, and a comment elsewhere is not', () => {
    expect([...namedIds("// safety: SR-QC-2, SR-QC-1\nit('x', () => {});")]).toEqual(['SR-QC-2', 'SR-QC-1']);
    expect([...namedIds("it('SR-AGE-1: an old result needs its age acknowledged', () => {});")]).toEqual(['SR-AGE-1']);
    expect([...namedIds('// see SR-AGE-1 in the doc\nconst x = 1;')]).toEqual([]);
  });
});
