import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS, METHODS } from '../../shared/api/contract.ts';
import { buildPreload } from '../../scripts/build-preload.ts';

/** The preload as Electron loads it: the bundle `npm run build:preload` writes, run sandboxed. */
describe('preload bundle', () => {
  let dir: string;
  let code: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pochub-preload-'));
    code = readFileSync(await buildPreload(join(dir, 'preload.cjs')), 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is one CommonJS file that requires nothing but electron', () => {
    const required = [...code.matchAll(/\brequire\s*\(([^)]*)\)/g)].map((m) => m[1]?.trim());
    expect(required).toEqual(['"electron"']);
    expect(code).not.toMatch(/\bimport\s*\(|^\s*import\s/m);
    // Only the contract's names are bundled, not zod and the catalog (hundreds of kB).
    expect(code.length).toBeLessThan(20_000);
  });

  it('exposes window.hub with exactly the contract methods and subscribe, and never ipcRenderer', async () => {
    const exposed = new Map<string, Record<string, unknown>>();
    const invokes: unknown[][] = [];
    const listeners: [string, (event: unknown, message: unknown) => void][] = [];
    const ipcRenderer = {
      invoke: async (...args: unknown[]) => void invokes.push(args),
      on: (channel: string, listener: (event: unknown, message: unknown) => void) => void listeners.push([channel, listener]),
      removeListener: () => undefined,
    };
    const electron = { contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => void exposed.set(key, api) }, ipcRenderer };
    // A sandboxed preload's require knows 'electron' and little else: anything more must fail.
    const sandboxRequire = (name: string): unknown => {
      if (name === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${name}`);
    };
    const module = { exports: {} };
    runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, Object, Promise, Error, TypeError, String });

    expect([...exposed.keys()]).toEqual(['hub']);
    const hub = exposed.get('hub')!;
    expect(Object.keys(hub).sort()).toEqual([...Object.keys(METHODS), 'subscribe'].sort());
    expect(Object.values(hub)).not.toContain(ipcRenderer);
    await (hub['listDevices'] as (input: unknown) => Promise<unknown>)({});
    expect(invokes).toEqual([['hub:call', { method: 'listDevices', input: {} }]]);

    const got: unknown[] = [];
    for (const event of Object.keys(EVENTS)) (hub['subscribe'] as (e: string, l: (p: unknown) => void) => void)(event, (p) => got.push(p));
    expect(() => (hub['subscribe'] as (e: string, l: () => void) => void)('nope', () => undefined)).toThrow();
    listeners[0]?.[1]({ sender: {} }, { event: Object.keys(EVENTS)[0], payload: 'p' });
    expect(got).toEqual(['p']);
  });
});
