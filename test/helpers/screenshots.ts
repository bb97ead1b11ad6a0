import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from './cli.ts';

/**
 * Where the Chromium tests save their screenshots. By default a fresh temp folder, removed by
 * `cleanup`: the tests still take every picture (a page that cannot render still fails) but never
 * touch the tracked `docs/screenshots/`. `POCHUB_SCREENSHOTS=docs/screenshots` (what
 * `npm run screenshots` sets) writes them there on purpose, to refresh the README's pictures;
 * a relative path is taken from the repository root, and that folder is kept.
 */
export function screenshotFolder(): { dir: string; cleanup: () => void } {
  const chosen = process.env['POCHUB_SCREENSHOTS'];
  if (chosen) {
    const dir = resolve(ROOT, chosen);
    mkdirSync(dir, { recursive: true });
    return { dir, cleanup: () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'pochub-shots-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
