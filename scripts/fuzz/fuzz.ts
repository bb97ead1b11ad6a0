/**
 * `npm run fuzz -- [--driver id] [--cases N] [--seed S] [--case K] [--session-share P] [--out dir] [--no-save]`:
 * mutation fuzzing of every driver's fixtures (docs/fuzzing.md). Prints the seed, cases/s per
 * driver and every finding; saves each distinct finding as a regression fixture; exits 1 on any.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DRIVERS, requireDriver } from '../../drivers/index.ts';
import { isHubError } from '../../shared/errors.ts';
import { strayRejections } from './cases.ts';
import { fuzzDriver, heapGrowthMiB, loadCorpus, type DriverStats } from './engine.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
/** The report goes to stdout (a log file in long runs). */
const say = (text: string): void => void process.stdout.write(`${text}\n`);

const count = (what: string) =>
  z
    .string()
    .regex(/^\d+(e\d+)?$/, `${what} must be a whole number (10000 or 1e4)`)
    .transform(Number)
    .pipe(z.number().int().min(1, `${what} must be at least 1`).max(1e9, `${what} is too large`));

const ArgsSchema = z.object({
  driver: z.string().min(1).optional(),
  cases: count('--cases').default(10_000),
  seed: z
    .string()
    .regex(/^\d+$/, '--seed must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(0).max(2 ** 32 - 1, '--seed must fit in 32 bits'))
    .optional(),
  'session-share': z
    .string()
    .transform(Number)
    .pipe(z.number({ message: '--session-share must be a number' }).min(0).max(1, '--session-share is between 0 and 1'))
    .default(0.02),
  case: z.string().regex(/^\d+$/, '--case must be a whole number').transform(Number).optional(),
  'memory-every': count('--memory-every').optional(),
  'memory-bound': z.string().transform(Number).pipe(z.number().positive('--memory-bound is MiB, more than 0')).default(64),
  out: z.string().min(1).default('test/fuzz-regressions'),
  'no-save': z.boolean().default(false),
});

function parse(): z.infer<typeof ArgsSchema> {
  const { values } = parseArgs({
    options: {
      driver: { type: 'string' },
      cases: { type: 'string' },
      seed: { type: 'string' },
      case: { type: 'string' },
      'session-share': { type: 'string' },
      'memory-every': { type: 'string' },
      'memory-bound': { type: 'string' },
      out: { type: 'string' },
      'no-save': { type: 'boolean' },
    },
    strict: true,
  });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

function line(s: DriverStats): string {
  const rate = s.cases / Math.max(s.seconds, 1e-9);
  const growth = heapGrowthMiB(s.heapMiB);
  const heap = s.heapMiB.length > 0 ? `heap ${s.heapMiB[0]?.toFixed(1)}→${s.heapMiB[s.heapMiB.length - 1]?.toFixed(1)} MiB (growth after warm-up ${growth === undefined ? 'n/a' : growth.toFixed(1)})` : `heap not sampled (${typeof (globalThis as { gc?: unknown }).gc === 'function' ? 'fewer cases than --memory-every' : 'run node with --expose-gc'})`;
  const found = [...s.signatures.values()].reduce((a, b) => a + b, 0);
  return `${s.driver.padEnd(28)} ${String(s.cases).padStart(9)} cases (${s.decodeCases} decode, ${s.sessionCases} session) in ${s.seconds.toFixed(1)} s = ${rate.toFixed(0)} cases/s; ${found} finding(s) of ${s.signatures.size} kind(s); ${heap}`;
}

async function main(): Promise<number> {
  const args = parse();
  const drivers = args.driver ? [requireDriver(args.driver)] : [...DRIVERS];
  const seed = args.seed ?? Math.floor(Math.random() * 2 ** 32);
  // `--case K`: case K alone, exactly as it ran in the run with this seed.
  const cases = args.case === undefined ? args.cases : 1;
  const memoryEvery = args['memory-every'] ?? Math.max(1000, Math.floor(cases / 40));
  const saveDir = args['no-save'] ? undefined : resolve(ROOT, args.out);
  const gc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  process.on('unhandledRejection', (e) => strayRejections.push(e));
  say(`fuzz: seed ${seed}, ${args.case === undefined ? `${cases} cases` : `case ${args.case}`} per driver, session share ${args['session-share']}, heap sampled every ${memoryEvery} cases${gc ? '' : ' (no --expose-gc: heap not sampled)'}`);
  say(`      replay one run: npm run fuzz -- --seed ${seed} --cases ${args.cases}${args.driver ? ` --driver ${args.driver}` : ''}`);
  let findings = 0;
  for (const driver of drivers) {
    const index = DRIVERS.indexOf(driver);
    const corpus = loadCorpus(ROOT, driver);
    const stats = await fuzzDriver(driver, index, corpus, {
      cases,
      ...(args.case === undefined ? {} : { firstCase: args.case }),
      seed,
      sessionShare: args['session-share'],
      memoryEvery,
      memoryBoundMiB: args['memory-bound'],
      ...(saveDir ? { saveDir } : {}),
      onProgress: (done, s) => {
        if (process.stdout.isTTY || done % (memoryEvery * 10) === 0) say(`  … ${driver.manifest.id}: ${done} cases, ${(done / s.seconds).toFixed(0)}/s`);
      },
    });
    say(line(stats));
    for (const [signature, hits] of stats.signatures) say(`  FINDING ×${hits}: ${signature}`);
    for (const f of stats.findings) {
      say(`  first: case ${f.caseIndex} of ${f.base} (${f.mutations.join(', ')})${f.file ? ` → ${f.file}` : ''}\n    ${f.message.replace(/\n/g, '\n    ')}`);
      say(`    replay: npm run fuzz -- --driver ${driver.manifest.id} --seed ${seed} --case ${f.caseIndex} --session-share ${args['session-share']}`);
    }
    findings += stats.signatures.size;
  }
  say(findings === 0 ? 'fuzz: no findings' : `fuzz: ${findings} distinct finding(s)`);
  return findings === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`fuzz: ${isHubError(e) || e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  },
);
