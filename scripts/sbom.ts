/**
 * `npm run sbom`: the CycloneDX SBOM of the shipped app (runtime dependencies only), made by npm's
 * own `npm sbom`, written to build/sbom.cdx.json, then the licence check against
 * scripts/sbom/allowed-licences.json: exit 1 when a component's licence is not allowed or not
 * declared (docs/sbom.md). Options for tests: --out <file>, --allowed <file>.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CycloneDxSchema, addRuntimeClosure, licenceProblems } from './sbom/licences.ts';

/** A line of the report on stdout (CI logs show it). */
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const ROOT = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { out: { type: 'string' }, allowed: { type: 'string' } } });
const out = values.out ?? join(ROOT, 'build', 'sbom.cdx.json');
const allowedFile = values.allowed ?? join(ROOT, 'scripts', 'sbom', 'allowed-licences.json');

const pkg = z.object({ name: z.string(), version: z.string(), dependencies: z.record(z.string(), z.string()) }).parse(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')));
const allowed = z.object({ allowed: z.array(z.string().min(1)) }).parse(JSON.parse(readFileSync(allowedFile, 'utf8'))).allowed;

/** `npm sbom` in CycloneDX, parsed and checked against the schema part we rely on. */
function npmSbom(extra: string[]): ReturnType<typeof CycloneDxSchema.parse> {
  // npm on Windows is npm.cmd; the shell finds it there.
  const text = execFileSync('npm', ['sbom', '--sbom-format', 'cyclonedx', ...extra], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' });
  const raw = JSON.parse(text) as { metadata?: { component?: Record<string, unknown> } };
  // npm names the root after the checkout's folder; the product is the package.
  if (raw.metadata?.component) raw.metadata.component.name = pkg.name;
  return CycloneDxSchema.parse(raw);
}

// --omit dev: only what the app bundle carries.
const bom = npmSbom(['--omit', 'dev']);
const restored = addRuntimeClosure(bom, npmSbom([]), Object.keys(pkg.dependencies));
if (restored.length > 0) say(`added ${restored.length} runtime component(s) npm sbom --omit dev left out (npm/cli issue 7909): ${restored.join(', ')}`);

const names = new Set(bom.components.map((c) => c.name));
const missing = Object.keys(pkg.dependencies).filter((d) => !names.has(d.replace(/^@[^/]+\//, '')) && !bom.components.some((c) => c.purl.startsWith(`pkg:npm/${d.replace('@', '%40')}@`)));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(bom, null, 2)}\n`);
say(`SBOM: ${relative(process.cwd(), out)} (CycloneDX ${bom.specVersion}, ${bom.components.length} components)`);

let failed = false;
if (missing.length > 0) {
  console.error(`runtime dependencies missing from the SBOM: ${missing.join(', ')} (run npm ci?)`);
  failed = true;
}
const problems = licenceProblems(bom, allowed);
for (const p of problems) console.error(`licence not allowed in the app bundle: ${p.component}: ${p.licence ?? 'no licence declared'}`);
if (problems.length > 0) {
  console.error(`${problems.length} component(s) fail the licence check; allowed: ${allowed.join(', ')} (${relative(ROOT, allowedFile)})`);
  failed = true;
} else {
  say(`licences: all ${bom.components.length} components allowed`);
}
process.exitCode = failed ? 1 : 0;
