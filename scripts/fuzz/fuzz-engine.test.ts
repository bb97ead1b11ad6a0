import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { siemensClinitekStatusDriver as clinitek } from '../../drivers/devices/siemens-clinitek-status/index.ts';
import { ascensiaContourNextDriver as contour } from '../../drivers/devices/ascensia-contour-next/index.ts';
import { parseTrace, sleep, type Driver, type DriverContext, type DriverSession } from '../../drivers/kit/index.ts';
import { runDecodeCase, runSessionCase } from './cases.ts';
import { fuzzDriver, heapGrowthMiB, loadCorpus } from './engine.ts';
import { Rng, mutateTrace } from './mutate.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const corpus = loadCorpus(ROOT, clinitek);
const trace = corpus[0]?.trace ?? { header: {}, events: [] };

/** The Clinitek driver with its acquire replaced: a planted bug the fuzzer must report. */
function planted(acquire: (ctx: DriverContext, signal: AbortSignal) => Promise<void>): Driver {
  return {
    ...clinitek,
    createSession(ctx): DriverSession {
      const real = clinitek.createSession(ctx);
      return { ...real, probe: real.probe.bind(real), open: real.open.bind(real), identify: real.identify.bind(real), close: real.close.bind(real), acquire: (signal) => acquire(ctx, signal) };
    },
  };
}

describe('fuzz engine: every failure kind is caught (planted bugs)', () => {
  it('a decodeProbe that throws is a decode finding', () => {
    const driver: Driver = {
      ...clinitek,
      decodeProbe: () => {
        throw new TypeError('planted');
      },
    };
    expect(runDecodeCase(driver, trace)).toMatchObject({ kind: 'throw', mode: 'decode' });
    expect(runDecodeCase(clinitek, trace)).toBeUndefined();
  });

  it('a TypeError inside the session is a throw finding', async () => {
    const driver = planted(async () => {
      throw new TypeError('planted');
    });
    expect((await runSessionCase(driver, trace, { loose: true })).finding).toMatchObject({ kind: 'throw', mode: 'session' });
  });

  it('a probe that throws a TypeError is a throw finding of the Test connection variant', async () => {
    const driver: Driver = {
      ...clinitek,
      createSession(ctx): DriverSession {
        const real = clinitek.createSession(ctx);
        return { ...real, open: real.open.bind(real), identify: real.identify.bind(real), acquire: real.acquire.bind(real), close: real.close.bind(real), probe: async () => Promise.reject(new TypeError('planted')) };
      },
    };
    expect((await runSessionCase(driver, trace, { loose: true, variant: 'probe' })).finding).toMatchObject({ kind: 'throw' });
    expect((await runSessionCase(clinitek, trace, { loose: true, variant: 'probe' })).finding).toBeUndefined();
  });

  it('a session that waits past its deadlines, or ignores even its abort, is a hang', async () => {
    const slow = planted((ctx, signal) => sleep(ctx.clock, 1e9, signal).catch(() => undefined));
    expect((await runSessionCase(slow, trace, { loose: true })).finding).toMatchObject({ kind: 'hang' });
    const deaf = planted(() => new Promise<void>(() => undefined));
    expect((await runSessionCase(deaf, trace, { loose: true })).finding).toMatchObject({ kind: 'hang', message: expect.stringContaining('abort') });
  });

  it('a timer left behind after the session is a finding', async () => {
    const driver = planted(async (ctx) => {
      ctx.clock.setTimer(10, () => ctx.clock.setTimer(1e12, () => undefined));
    });
    expect((await runSessionCase(driver, trace, { loose: true })).finding).toMatchObject({ kind: 'timer-left' });
  });

  it('a reading that breaks the reading schema is a finding', async () => {
    const driver = planted(async (ctx) => {
      ctx.emit({ type: 'reading', draft: { device: { manufacturer: '', model: '' }, kind: 'patient', timeBasis: 'live', deviceTime: 'not a time', observations: [], flags: [], raw: [] } });
    });
    expect((await runSessionCase(driver, trace, { loose: true })).finding).toMatchObject({ kind: 'invalid-reading' });
  });

  it('the unmodified drivers replay their own fixtures without a finding', async () => {
    for (const { trace: t } of corpus) expect((await runSessionCase(clinitek, t, { loose: false })).finding).toBeUndefined();
  });

  it('a finding is saved once per signature as a trace that parses and reproduces it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pochub-fuzz-'));
    try {
      // Planted: the probe chokes on any DEL byte (0x7f), which `byte-set` and `insert` produce.
      const choke: Driver = {
        ...clinitek,
        decodeProbe: (chunks) => {
          if (chunks.some((c) => c.includes(0x7f))) throw new RangeError('planted: DEL byte');
          return clinitek.decodeProbe?.(chunks) ?? 0;
        },
      };
      const stats = await fuzzDriver(choke, 5, corpus, { cases: 400, seed: 7, sessionShare: 0, memoryEvery: 400, memoryBoundMiB: 64, saveDir: dir });
      expect(stats.findings).toHaveLength(1);
      const files = readdirSync(join(dir, clinitek.manifest.id));
      expect(files).toHaveLength(1);
      const saved = parseTrace(readFileSync(join(dir, clinitek.manifest.id, files[0] ?? ''), 'utf8'));
      expect(saved.header['fuzz']).toContain('seed 7 case');
      expect(runDecodeCase(choke, saved)).toMatchObject({ kind: 'throw', message: expect.stringContaining('planted') });
      expect(runDecodeCase(clinitek, saved)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fuzzDriver saves nothing and counts every case; the same seed gives the same cases', async () => {
    const opts = { cases: 300, seed: 42, sessionShare: 0.1, memoryEvery: 100, memoryBoundMiB: 64 };
    const a = await fuzzDriver(clinitek, 5, corpus, opts);
    const b = await fuzzDriver(clinitek, 5, corpus, opts);
    expect(a.cases).toBe(300);
    expect(a.sessionCases).toBe(b.sessionCases);
    expect(a.findings).toEqual([]);
  });
});

describe('mutations', () => {
  const contourCorpus = loadCorpus(ROOT, contour).map((c) => c.trace);
  it('are reproducible from the seed, keep HID reports within the report size, leave no empty event and never edit host writes', () => {
    const hostWrites = new Set(contourCorpus.flatMap((t) => t.events.filter((e) => e.direction === '>').map((e) => Buffer.from(e.bytes).toString('hex'))));
    for (let seed = 0; seed < 150; seed++) {
      const base = contourCorpus[seed % contourCorpus.length];
      if (!base) continue;
      const one = mutateTrace(base, contourCorpus, new Rng(seed), { reportSize: 64 });
      const again = mutateTrace(base, contourCorpus, new Rng(seed), { reportSize: 64 });
      expect(again).toEqual(one);
      for (const e of one.trace.events) {
        expect(e.bytes.length).toBeGreaterThan(0);
        if (e.direction === '<') expect(e.bytes.length).toBeLessThanOrEqual(64);
        else expect(hostWrites.has(Buffer.from(e.bytes).toString('hex'))).toBe(true);
      }
    }
  });

  it('heap growth is measured from after warm-up', () => {
    expect(heapGrowthMiB([10, 11, 12])).toBeUndefined();
    expect(heapGrowthMiB([50, 12, 12, 12, 12, 12, 12, 12])).toBeCloseTo(0);
    expect(heapGrowthMiB([10, 12, 12, 20, 30, 40, 50, 60])).toBe(28);
  });
});
