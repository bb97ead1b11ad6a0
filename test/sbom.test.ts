/**
 * `npm run sbom` as CI and `npm run dist` run it: a CycloneDX BOM of the runtime dependencies,
 * and the licence check failing the build on a licence outside the allow-list (docs/sbom.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CycloneDxSchema } from '../scripts/sbom/licences.ts';
import { ROOT } from './helpers/cli.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pochub-sbom-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };

function sbom(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('npm', ['run', '--silent', 'sbom', '--', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('npm run sbom', () => {
  it('writes valid CycloneDX JSON listing every runtime dependency and no dev-only tool', () => {
    const out = join(tmp, 'sbom.cdx.json');
    const r = sbom(['--out', out]);
    expect(r.out).toMatch(/licences: all \d+ components allowed/);
    expect(r.status).toBe(0);
    const bom = CycloneDxSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(bom.metadata.component).toMatchObject({ name: pkg.name, version: pkg.version });
    const names = new Set(bom.components.map((c) => c.name));
    for (const dep of Object.keys(pkg.dependencies)) expect(names.has(dep), dep).toBe(true);
    for (const dev of ['vitest', 'electron-builder', 'typescript', 'eslint', 'vite']) expect(names.has(dev), dev).toBe(false);
    // Every reference resolves, every component once, every one with a licence.
    const refs = bom.components.map((c) => c['bom-ref']);
    expect(new Set(refs).size).toBe(refs.length);
    const known = new Set([...refs, bom.metadata.component['bom-ref']]);
    for (const d of bom.dependencies ?? []) for (const to of [d.ref, ...(d.dependsOn ?? [])]) expect(known.has(to), to).toBe(true);
    expect(bom.components.every((c) => (c.licenses?.length ?? 0) > 0)).toBe(true);
  }, 120_000);

  it('fails, naming the component, on a licence the allow-list does not hold', () => {
    const allowed = join(tmp, 'allowed.json');
    writeFileSync(allowed, JSON.stringify({ allowed: ['MIT'] }));
    const r = sbom(['--out', join(tmp, 'refused.cdx.json'), '--allowed', allowed]);
    expect(r.status).toBe(1);
    // Only MIT allowed: the ISC and Apache-2.0 components are named, one line each.
    expect(r.out).toMatch(/licence not allowed in the app bundle: \S+@\S+: (ISC|Apache-2\.0)/);
    expect(r.out).toMatch(/component\(s\) fail the licence check/);
  }, 120_000);
});
