import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rocheAccuChekMobileDriver as driver } from '../../drivers/devices/roche-accu-chek-mobile/index.ts';
import { runSession, systemClock, type SessionResult } from '../../drivers/kit/index.ts';
import { openLink } from './index.ts';
import { storeFile } from '../paths.ts';
import { openStore } from '../store/open-store.ts';
import { tempDir } from '../../test/helpers/store-fixtures.ts';

/**
 * The file link (folder.ts) on real folders, with the Accu-Chek Mobile driver reading what it
 * delivers, into a real SQLite store.
 */
const HEADER = `Date;Time;Result;Unit;Temperature warning;Out of target range;Other;Before meal;After meal;Control test${' '.repeat(197)}`;
const report = (rows: readonly string[]): string => ['Accu-Chek Mobile', 'UI12345678;05.03.2024;14:30;;;;;;;', HEADER, ...rows].map((l) => `${l}\r\n`).join('');
const PATTERN = 'Reports/*.csv';

async function read(folder: string): Promise<SessionResult> {
  const link = await openLink({ type: 'folder', path: folder, pattern: PATTERN });
  return runSession({ driver, link, clock: systemClock });
}

describe('file link + roche-accu-chek-mobile', () => {
  let tmp: { dir: string; cleanup(): void };
  let reports: string;
  beforeEach(() => {
    tmp = tempDir();
    reports = join(tmp.dir, 'volume', 'ACCU-CHEK', 'Reports');
    mkdirSync(reports, { recursive: true });
  });
  afterEach(() => tmp.cleanup());

  it('reads the newest report of the mounted volume, the model folder or the Reports folder itself', async () => {
    writeFileSync(join(reports, 'old.csv'), report(['01.03.2024;07:00;9.9;mmol/l;;;;;;']));
    utimesSync(join(reports, 'old.csv'), new Date('2024-03-01T12:00:00Z'), new Date('2024-03-01T12:00:00Z'));
    writeFileSync(join(reports, 'new.csv'), report(['05.03.2024;07:42;5.8;mmol/l;;;;X;;', '05.03.2024;06:10;;;;;;;;', '04.03.2024;21:05;6.1;mmol/l;;;;;;X']));
    for (const folder of [join(tmp.dir, 'volume'), join(tmp.dir, 'volume', 'ACCU-CHEK'), reports]) {
      const result = await read(folder);
      expect(result.end).toBe('completed');
      expect(result.readings.map((r) => [r.kind, r.deviceTime, r.observations[0]?.value])).toEqual([
        ['patient', '2024-03-05T07:42:00', { kind: 'quantity', value: 5.8, unit: 'mmol/L', decimals: 1 }],
        ['control', '2024-03-04T21:05:00', { kind: 'quantity', value: 6.1, unit: 'mmol/L', decimals: 1 }],
      ]);
      expect(result.readings[0]?.device.serial).toBe('UI12345678');
    }
  });

  it('a second read into the same store imports nothing new', async () => {
    writeFileSync(join(reports, 'r.csv'), report(['05.03.2024;07:42;5.8;mmol/l;;;;X;;', '04.03.2024;21:05;104;mg/dl;;;;;;']));
    const ingest = async (): Promise<boolean[]> => {
      const result = await read(join(tmp.dir, 'volume'));
      const store = openStore(storeFile(tmp.dir));
      try {
        return result.readings.map((r) => store.readings.ingest(r, [], undefined).isNew);
      } finally {
        store.close();
      }
    };
    expect(await ingest()).toEqual([true, true]);
    expect(await ingest()).toEqual([false, false]);
  });

  it('a cut or foreign file is refused whole with a clear problem: nothing imported', async () => {
    const whole = report(['05.03.2024;07:42;5.8;mmol/l;;;;X;;', '04.03.2024;21:05;6.1;mmol/l;;;;;;']);
    writeFileSync(join(reports, 'r.csv'), whole.slice(0, -10));
    const cut = await read(reports);
    expect(cut.readings).toEqual([]);
    expect(cut.error?.message).toMatch(/cut short.*nothing was imported/);
    writeFileSync(join(reports, 'r.csv'), report(['05.03.2024;07:42;5.8;mmol/l;;;;X;;', '31.02.2024;21:05;6.1;mmol/l;;;;;;']));
    const bad = await read(reports);
    expect(bad.readings).toEqual([]);
    expect(bad.error?.message).toMatch(/line 5.*nothing was imported/);
    writeFileSync(join(reports, 'r.csv'), 'Date,Time,Result\r\n1,2,3\r\n4,5,6\r\n');
    expect((await read(reports)).error?.message).toMatch(/not a complete report file/);
  });

  it('says where it looked when there is no folder or no report', async () => {
    await expect(openLink({ type: 'folder', path: join(tmp.dir, 'nope'), pattern: PATTERN })).rejects.toMatchObject({ code: 'TRANSPORT_NOT_FOUND', message: expect.stringMatching(/is not a folder/) });
    await expect(openLink({ type: 'folder', path: join(tmp.dir, 'volume'), pattern: PATTERN })).rejects.toMatchObject({ code: 'TRANSPORT_NOT_FOUND', message: expect.stringMatching(/no Reports\/\*\.csv file/) });
  });
});
