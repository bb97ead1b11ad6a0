import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.ts';

/** The layer rule of docs/architecture.md §2.1 is enforced by lint: check the rule itself on small snippets. */
const eslint = new ESLint({ cwd: ROOT });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'local/layers').map((m) => m.message);
}

describe('layer rule lint', () => {
  it.each([
    ['shared/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n", /shared\/ is pure/],
    ['shared/x.ts', "import { DRIVERS } from '../drivers/index.ts';\nexport const a = DRIVERS;\n", /shared\/ may import only shared/],
    ['drivers/devices/acme-a/x.ts', "import { SerialPort } from 'serialport';\nexport const a = SerialPort;\n", /drivers\/ never touch I\/O/],
    ['drivers/devices/acme-a/x.ts', "import { b } from '../acme-b/decode.ts';\nexport const a = b;\n", /another device folder/],
    ['drivers/kit/x.ts', "import { openStore } from '../../main/store/index.ts';\nexport const a = openStore;\n", /drivers\/ may not import main/],
    ['renderer/x.tsx', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n", /renderer\/ may not import/],
    ['renderer/x.tsx', "import { DRIVERS } from '../drivers/index.ts';\nexport const a = DRIVERS;\n", /renderer\/ may import only shared/],
    ['main/cli/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;\n", /only main\/transports and main\/store/],
    ['main/cli/x.ts', "import { decode } from '../../drivers/devices/masimo-rad8/decode.ts';\nexport const a = decode;\n", /only through drivers\/index.ts/],
    ['main/x.ts', "import { App } from '../renderer/app.tsx';\nexport const a = App;\n", /main\/ may not import renderer/],
  ])('%s: rejects %s', async (file, code, message) => {
    const errors = await layerErrors(file, code);
    expect(errors.length).toBe(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    ['shared/x.ts', "import { CATALOG } from './catalog.ts';\nexport const a = CATALOG;\n"],
    ['drivers/devices/acme-a/x.ts', "import { LineFramer } from '../../kit/index.ts';\nimport { CATALOG } from '../../../shared/catalog.ts';\nexport const a = [LineFramer, CATALOG];\n"],
    ['main/store/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;\n"],
    ['main/transports/x.ts', "import { SerialPort } from 'serialport';\nexport const a = SerialPort;\n"],
    ['main/cli/x.ts', "import { DRIVERS } from '../../drivers/index.ts';\nimport { readFile } from 'node:fs/promises';\nexport const a = [DRIVERS, readFile];\n"],
  ])('%s: allows what the layer may import', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
