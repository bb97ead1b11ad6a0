import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ndjson } from './helpers/cli.ts';

/**
 * docs/adding-a-driver.md followed literally: copy the repository, write the files of the worked
 * example (§13) exactly as the page prints them, add the registry line of §6 and nothing else;
 * the copy must then type-check, lint, list, replay and pass the conformance suite with the new
 * driver. If the page and the kit drift apart, or registering needs a second edit, this fails.
 */

const DOC = join(ROOT, 'docs', 'adding-a-driver.md');
const REGISTRY = join('drivers', 'devices', 'index.ts');
const EXAMPLE_ID = 'acme-scale';
/** Type-checking and linting a whole copy of the repository takes minutes on a busy 2-core CI machine. */
const SLOW_MS = 600_000;

interface DocFile {
  path: string;
  text: string;
}

/** The fenced blocks of the page, each with the path line (`` `drivers/…` ``) written just before it, if any. */
function fencedBlocks(markdown: string): { path?: string; section: string; text: string }[] {
  const lines = markdown.split('\n');
  const blocks: { path?: string; section: string; text: string }[] = [];
  let section = '';
  let path: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('## ')) section = line;
    const named = /^`([^`\s]+)`$/.exec(line);
    if (named) path = named[1];
    if (!line.startsWith('```')) continue;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] as string).startsWith('```'); i++) body.push(lines[i] as string);
    blocks.push({ ...(path ? { path } : {}), section, text: `${body.join('\n')}\n` });
    path = undefined;
  }
  return blocks;
}

function exampleFromDoc(): { files: DocFile[]; registryLine: string } {
  const blocks = fencedBlocks(readFileSync(DOC, 'utf8'));
  const files = blocks.filter((b): b is DocFile & { section: string } => b.path?.startsWith(`drivers/devices/${EXAMPLE_ID}/`) ?? false);
  const registering = blocks.filter((b) => b.section.startsWith('## 6.'));
  if (registering.length !== 1) throw new Error(`docs/adding-a-driver.md §6 should show exactly one code block, the registry line; it shows ${registering.length}`);
  return { files: files.map(({ path, text }) => ({ path, text })), registryLine: (registering[0] as { text: string }).text.trim() };
}

function run(cwd: string, command: string, args: readonly string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, TZ: 'UTC', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.once('close', (code) => resolve({ code, out }));
  });
}

const node = (cwd: string, ...args: string[]) => run(cwd, process.execPath, args);
const bin = (name: string): string => join('node_modules', name.split('/')[0] as string, ...name.split('/').slice(1));

describe('adding a driver as docs/adding-a-driver.md says', () => {
  const example = exampleFromDoc();
  let copy = '';
  let registryBefore = '';

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'pochub-add-driver-'));
    const skip = /^(node_modules|\.git|\.tsbuild|out|dist|coverage|bench\/results|\.pochub-data)(\/|$)/;
    cpSync(ROOT, copy, { recursive: true, filter: (src) => !skip.test(relative(ROOT, src)) });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    for (const file of example.files) {
      mkdirSync(dirname(join(copy, file.path)), { recursive: true });
      writeFileSync(join(copy, file.path), file.text);
    }
    registryBefore = readFileSync(join(copy, REGISTRY), 'utf8');
    writeFileSync(join(copy, REGISTRY), `${registryBefore}${example.registryLine}\n`);
  });

  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('the page gives the template’s files for the example and a one-line registration', () => {
    const names = example.files.map((f) => relative(`drivers/devices/${EXAMPLE_ID}`, f.path)).sort();
    expect(names).toEqual(expect.arrayContaining(['decode.ts', 'driver.ts', 'index.ts', 'manifest.ts', 'normalize.ts', 'protocol.ts', 'simulator.ts', 'trace.ts']));
    expect(names).toEqual(expect.arrayContaining(['fixtures/three-weighings.trace', 'fixtures/three-weighings.expected.ndjson']));
    expect(example.registryLine.split('\n')).toHaveLength(1);
    expect(example.registryLine).toBe(`export { acmeScaleDriver } from './${EXAMPLE_ID}/index.ts';`);
  });

  it('the copy type-checks and lints clean with the new folder and the one line', { timeout: SLOW_MS }, async () => {
    const tsc = await node(copy, bin('typescript/bin/tsc'), '-b');
    expect(tsc.out).toBe('');
    expect(tsc.code).toBe(0);
    const lint = await node(copy, bin('eslint/bin/eslint.js'), `drivers/devices/${EXAMPLE_ID}`, REGISTRY, 'drivers/index.ts');
    expect(lint.out).toBe('');
    expect(lint.code).toBe(0);
  });

  it('pochub lists the new driver with no other change', async () => {
    const listed = await node(copy, 'bin/pochub.mjs', 'drivers', '--json');
    expect(listed.code).toBe(0);
    const ids = (JSON.parse(listed.out) as { id: string }[]).map((d) => d.id);
    expect(ids).toContain(EXAMPLE_ID);
    // The registry gained exactly the one line; no other list of drivers needed it.
    expect(readFileSync(join(copy, REGISTRY), 'utf8')).toBe(`${registryBefore}${example.registryLine}\n`);
  });

  it('pochub replays the page’s fixture to the page’s expected readings', async () => {
    const trace = `drivers/devices/${EXAMPLE_ID}/fixtures/three-weighings.trace`;
    const replayed = await node(copy, 'bin/pochub.mjs', 'replay', '--driver', EXAMPLE_ID, '--trace', trace, '--json');
    expect(replayed.code, replayed.out).toBe(0);
    const withoutReceivedAt = ({ receivedAt: _r, ...rest }: Record<string, unknown>) => rest;
    const readings = ndjson(replayed.out.split('\n').filter((l) => l.startsWith('{')).join('\n')).map(withoutReceivedAt);
    const expected = ndjson(readFileSync(join(copy, trace.replace(/\.trace$/, '.expected.ndjson')), 'utf8')).map(withoutReceivedAt);
    expect(readings).toHaveLength(3);
    expect(readings).toEqual(expected);
  });

  it('the conformance suite, the golden fixtures and the live-trace tests take the new driver from the registry', { timeout: SLOW_MS }, async () => {
    const report = join(copy, 'vitest-report.json');
    const tests = await node(
      copy,
      bin('vitest/vitest.mjs'),
      'run',
      'drivers/conformance.test.ts',
      `drivers/devices/${EXAMPLE_ID}`,
      'test/fixtures.test.ts',
      'main/devices/trace/trace-fixtures.test.ts',
      '--reporter=json',
      `--outputFile=${report}`,
    );
    const result = JSON.parse(readFileSync(report, 'utf8')) as {
      numFailedTests: number;
      testResults: { assertionResults: { fullName: string; status: string }[] }[];
    };
    expect(result.numFailedTests, tests.out.slice(-4000)).toBe(0);
    const acme = result.testResults.flatMap((f) => f.assertionResults).filter((a) => a.fullName.includes(EXAMPLE_ID));
    // Conformance (twice: the registry's suite and the page's own test beside the driver), the fixture replay, the trace annotation.
    expect(acme.filter((a) => a.fullName.startsWith(`conformance: ${EXAMPLE_ID}`)).length).toBeGreaterThan(0);
    expect(acme.some((a) => a.fullName.includes('three-weighings'))).toBe(true);
    expect(acme.every((a) => a.status === 'passed')).toBe(true);
  });
});
