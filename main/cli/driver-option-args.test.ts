import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireDriver } from '../../drivers/index.ts';
import { main } from '../cli.ts';
import { parseDriverOptions } from './driver-option-args.ts';

const masimo = requireDriver('masimo-rad8').manifest;
const clinitek = requireDriver('siemens-clinitek-status').manifest;
const messageOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

describe('--option key=value (checked against the manifest)', () => {
  it('types values by the option and keeps only those given', () => {
    expect(parseDriverOptions(masimo, ['stabilityWindowSeconds=15', 'autoCapture=false', 'spo2Tolerance=1.5'])).toEqual({ stabilityWindowSeconds: 15, autoCapture: false, spo2Tolerance: 1.5 });
    expect(parseDriverOptions(clinitek, ['dateOrder=mdy'])).toEqual({ dateOrder: 'mdy' });
    expect(parseDriverOptions(masimo, undefined)).toEqual({});
  });

  it.each([
    [['stabilityWindowSeconds=1'], /--option stabilityWindowSeconds must be at least 2/],
    [['stabilityWindowSeconds=ten'], /--option stabilityWindowSeconds: takes a number, not "ten"/],
    [['autoCapture=yes'], /takes true or false/],
    [['nope=1'], /masimo-rad8 has only these options: stabilityWindowSeconds, autoCapture/],
    [['stabilityWindowSeconds'], /--option takes key=value/],
    [['autoCapture=true', 'autoCapture=false'], /autoCapture: given twice/],
  ])('refuses %j', (raw, message) => {
    expect(messageOf(() => parseDriverOptions(masimo, raw))).toMatch(message);
  });

  it('names a string option’s choices, and says when a driver has no options', () => {
    expect(messageOf(() => parseDriverOptions(clinitek, ['dateOrder=ymd']))).toMatch(/must be one of dmy, mdy/);
    expect(messageOf(() => parseDriverOptions(requireDriver('omron-hbp-9030').manifest, ['x=1']))).toMatch(/omron-hbp-9030 has no options/);
  });
});

describe('pochub replay --option', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pochub-option-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const trace = join(dir, 'us-date.trace');
  // A Clinitek record dated 03-04-2026: 3 April by default (dmy), 4 March with dateOrder=mdy.
  writeFileSync(
    trace,
    '# pochub-trace 1\n# driver: siemens-clinitek-status\n' +
      '0.000 < "2045,03-04-2026,08:05,,S1,,,,,Multistix 10 SG,Yellow,Clear,GLU,Negative,,BIL,Negative,,KET,Negative,,SG ,1.015,,BLD,Negative,,pH ,6.0,,PRO,Negative,,UBG,0.2 mg/dL,,NIT,Negative,,LEU,Negative,\\r"\n',
  );
  const replay = async (extra: string[]): Promise<{ code: number; out: string[]; err: string[] }> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['replay', '--driver', 'siemens-clinitek-status', '--trace', trace, '--json', '--idle', '0.2', ...extra], { out: (l) => out.push(l), err: (l) => err.push(l), errIsTty: false });
    return { code, out, err };
  };
  const deviceTime = (lines: string[]): unknown => (JSON.parse(lines[0] ?? '{}') as { deviceTime?: string }).deviceTime;

  it('reaches the driver session: the same record read with the other date order', async () => {
    expect(deviceTime((await replay([])).out)).toBe('2026-04-03T08:05:00');
    expect(deviceTime((await replay(['--option', 'dateOrder=mdy'])).out)).toBe('2026-03-04T08:05:00');
  });

  it('a bad value stops before replaying, exit 2, naming the option', async () => {
    const r = await replay(['--option', 'dateOrder=ymd']);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err.join('\n')).toMatch(/--option dateOrder must be one of dmy, mdy/);
  });
});
