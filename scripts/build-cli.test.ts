import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshCliBundle, manifestPath } from '../bin/cli-bundle.mjs';
import { ROOT, buildCli, type CliBundleManifest } from './build-cli.ts';

/** esbuild plus node on a busy 2-core machine. */
const SLOW_MS = 120_000;

describe('the CLI bundle (npm run build:cli) and its freshness check', () => {
  let dir = '';
  let bundle = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pochub-build-cli-'));
    // Two folders below a root, like out/cli/pochub.mjs (its name must stay pochub.mjs: the CLI
    // runs its main only when started as pochub). The external npm packages resolve from the
    // bundle's folder upwards, as from out/cli/ in the repository.
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    bundle = await buildCli(join(dir, 'out', 'cli', 'pochub.mjs'));
  }, SLOW_MS);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const manifest = (): CliBundleManifest => JSON.parse(readFileSync(manifestPath(bundle), 'utf8')) as CliBundleManifest;

  it('records the repository sources it was built from', () => {
    const { inputs } = manifest();
    expect(inputs).toContain('main/cli.ts');
    expect(inputs).toContain('main/cli/serve-command.ts');
    // Bundled packages are covered by npm's install stamp, not file by file.
    expect(inputs).toContain('node_modules/.package-lock.json');
    expect(inputs.filter((i) => i.startsWith('node_modules/'))).toEqual(['node_modules/.package-lock.json']);
  });

  it('runs as the CLI', { timeout: SLOW_MS }, () => {
    expect(freshCliBundle(bundle)).toBe(bundle);
    const run = spawnSync(process.execPath, [bundle, '--help'], { cwd: ROOT, encoding: 'utf8', timeout: SLOW_MS });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: pochub');
    expect(run.stdout).toContain('serve');
  });

  it('is not used once a source it was built from is edited', () => {
    const source = join(ROOT, 'main', 'cli', 'io.ts');
    const before = statSync(source);
    try {
      utimesSync(source, before.atime, new Date(manifest().builtAtMs + 1000));
      expect(freshCliBundle(bundle)).toBeUndefined();
    } finally {
      utimesSync(source, before.atime, before.mtime);
    }
    expect(freshCliBundle(bundle)).toBe(bundle);
  });

  it('is not used when a source is gone or the manifest is missing or unreadable', () => {
    const original = readFileSync(manifestPath(bundle), 'utf8');
    try {
      writeFileSync(manifestPath(bundle), JSON.stringify({ ...manifest(), inputs: [...manifest().inputs, 'main/deleted-since.ts'] }));
      expect(freshCliBundle(bundle)).toBeUndefined();
      writeFileSync(manifestPath(bundle), '{ not json');
      expect(freshCliBundle(bundle)).toBeUndefined();
      rmSync(manifestPath(bundle));
      expect(freshCliBundle(bundle)).toBeUndefined();
    } finally {
      writeFileSync(manifestPath(bundle), original);
    }
    expect(freshCliBundle(bundle)).toBe(bundle);
    expect(freshCliBundle(join(dir, 'nowhere', 'pochub.mjs'))).toBeUndefined();
  });
});
