import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../test/helpers/cli.ts';

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
    // Entry points: the kit through drivers/kit/index.ts, a device folder through its index.ts.
    ['drivers/devices/acme-a/x.ts', "import { LineFramer } from '../../kit/framers/lines.ts';\nexport const a = LineFramer;\n", /kit is imported only through drivers\/kit\/index.ts/],
    ['drivers/devices/acme-a/x.test.ts', "import { createLinkPair } from '../../kit/link.ts';\nexport const a = createLinkPair;\n", /kit is imported only through drivers\/kit\/index.ts/],
    ['drivers/families/astm/x.ts', "import { fromLatin1 } from '../../kit/bytes.ts';\nexport const a = fromLatin1;\n", /kit is imported only through drivers\/kit\/index.ts/],
    ['drivers/index.ts', "import type { Driver } from './kit/driver.ts';\nexport type A = Driver;\n", /kit is imported only through drivers\/kit\/index.ts/],
    ['drivers/devices/index.ts', "export { decode } from './acme-a/decode.ts';\n", /device folder is imported only through its index.ts/],
    ['drivers/kit/x.ts', "import { acmeADriver } from '../devices/acme-a/index.ts';\nexport const a = acmeADriver;\n", /drivers\/kit may not import a device folder/],
    ['drivers/families/astm/x.ts', "import { acmeADriver } from '../../devices/acme-a/index.ts';\nexport const a = acmeADriver;\n", /drivers\/families may not import a device folder/],
    ['main/cli/x.ts', "import { createLinkPair } from '../../drivers/kit/link.ts';\nexport const a = createLinkPair;\n", /main\/ reaches drivers only through drivers\/index.ts and drivers\/kit\/index.ts/],
    ['main/cli/x.ts', "import { acmeADriver } from '../../drivers/devices/acme-a/index.ts';\nexport const a = acmeADriver;\n", /main\/ reaches drivers only through/],
    ['main/cli/x.test.ts', "import { createLinkPair } from '../../drivers/kit/link.ts';\nexport const a = createLinkPair;\n", /kit is imported only through drivers\/kit\/index.ts/],
    ['scripts/x.ts', "import { acmeADriver } from '../drivers/devices/acme-a/index.ts';\nexport const a = acmeADriver;\n", /scripts\/ reaches drivers only through/],
    ['bench/x.ts', "import { decode } from '../drivers/devices/acme-a/decode.ts';\nexport const a = decode;\n", /bench\/ reaches drivers only through/],
    ['test/helpers/x.ts', "import { encode } from '../../drivers/devices/acme-a/protocol.ts';\nexport const a = encode;\n", /device folder is imported only through its index.ts/],
    ['test/x.test.ts', "import { LinkBase } from '../drivers/kit/link.ts';\nexport const a = LinkBase;\n", /kit is imported only through drivers\/kit\/index.ts/],
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
    ['main/cli/x.ts', "import { runSession } from '../../drivers/kit/index.ts';\nexport const a = runSession;\n"],
    ['scripts/x.ts', "import { DRIVERS } from '../drivers/index.ts';\nimport type { Driver } from '../drivers/kit/index.ts';\nexport const a: readonly Driver[] = DRIVERS;\n"],
    ['bench/x.ts', "import { formatLine } from '../drivers/devices/acme-a/simulator.ts';\nexport const a = formatLine;\n"],
    ['drivers/devices/index.ts', "export { acmeADriver } from './acme-a/index.ts';\nexport { acmeBDriver } from './acme-b/index.ts';\n"],
    ['drivers/index.ts', "import * as devices from './devices/index.ts';\nimport type { Driver } from './kit/index.ts';\nexport const a: readonly Driver[] = Object.values(devices);\n"],
    ['drivers/devices/acme-a/x.test.ts', "import { encode } from './protocol.ts';\nimport { createLinkPair } from '../../kit/index.ts';\nexport const a = [encode, createLinkPair];\n"],
    ['drivers/conformance.test.ts', "import { defineConformanceSuite } from './kit/conformance.ts';\nexport const a = defineConformanceSuite;\n"],
    ['drivers/kit/x.test.ts', "import { acmeADriver } from '../devices/acme-a/index.ts';\nimport { fromLatin1 } from './bytes.ts';\nexport const a = [acmeADriver, fromLatin1];\n"],
    ['main/transports/x.test.ts', "import { encode } from '../../drivers/devices/acme-a/protocol.ts';\nexport const a = encode;\n"],
    ['test/x.test.ts', "import { runMeter } from '../drivers/devices/acme-a/simulator.ts';\nimport { createLinkPair } from '../drivers/kit/index.ts';\nexport const a = [runMeter, createLinkPair];\n"],
  ])('%s: allows what the layer may import', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
