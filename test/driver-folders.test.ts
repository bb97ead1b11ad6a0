import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../drivers/index.ts';
import { ROOT } from './helpers/cli.ts';

/**
 * The driver folder template (docs/adding-a-driver.md §5) holds in every folder: the files with
 * their fixed roles, and the folder's index exporting only `<vendor><Model>Driver`, the very
 * object the registry holds. A reader who knows one driver finds their way in any other.
 */

const DEVICES = join(ROOT, 'drivers', 'devices');
/** Files every driver folder has (conversation.ts and simulated-device.ts only where a driver needs them). */
const REQUIRED = ['manifest.ts', 'protocol.ts', 'decode.ts', 'decode-probe.ts', 'normalize.ts', 'driver.ts', 'simulator.ts', 'trace.ts', 'index.ts', 'PROTOCOL.md', 'properties.test.ts', join('fixtures', 'README.md')];

/** `lifescan-onetouch-ultra2` → `lifescanOnetouchUltra2Driver`. */
const exportNameOf = (folder: string): string => `${folder.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase())}Driver`;

const folders = readdirSync(DEVICES).filter((name) => statSync(join(DEVICES, name)).isDirectory());

const README_ROWS = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').filter((line) => line.startsWith('| [`'));
/** How the README's Kind column names each manifest kind. */
const KIND_WORD: Readonly<Record<string, string>> = { continuous: 'continuous', discrete: 'discrete', download: 'download' };

describe('driver folders follow the template', () => {
  it('every device folder is registered, and every registered driver has its folder', () => {
    expect(folders.sort()).toEqual(DRIVERS.map((d) => d.manifest.id).sort());
  });

  for (const driver of DRIVERS) {
    const id = driver.manifest.id;
    it(`${id}: has the template's files`, () => {
      const missing = REQUIRED.filter((file) => !existsSync(join(DEVICES, id, file)));
      expect(missing).toEqual([]);
    });

    it(`${id}: has a row in the README's driver table, linked to its PROTOCOL.md, with its kind`, () => {
      const row = README_ROWS.find((line) => line.startsWith(`| [\`${id}\`](drivers/devices/${id}/PROTOCOL.md) |`));
      expect(row, `README driver table row for ${id}`).toBeDefined();
      // Columns: driver, device, kind, link; the kind names the driver's manifest kind.
      expect(row?.split(' | ')[2]).toContain(KIND_WORD[driver.manifest.kind]);
    });

    it(`${id}: index.ts exports only ${exportNameOf(id)}, the registered driver, with its trace hooks`, async () => {
      const index = (await import(pathToFileURL(join(DEVICES, id, 'index.ts')).href)) as Record<string, unknown>;
      expect(Object.keys(index)).toEqual([exportNameOf(id)]);
      expect(index[exportNameOf(id)]).toBe(driver);
      expect(driver.traceAnnotator).toBeDefined();
    });
  }
});
