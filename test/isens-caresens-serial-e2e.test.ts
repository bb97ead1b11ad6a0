import { describe, expect, it } from 'vitest';
import { findDriver } from '../drivers/index.ts';
import { runAgainstSimulator } from '../drivers/kit/index.ts';
import { ndjson } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';
import { expectNothingNew, simulateOnPty } from './helpers/meter-pty.ts';

/**
 * isens-caresens on a serial link (ReliOn Premier, GLUCOCARD Shine) end to end: `pochub simulate` plays the
 * meter on one end of a socat pty pair, `pochub read` downloads it on the other — the readings,
 * control results kept apart, and a second download that offers nothing new.
 */
const scope = cliScope('pochub-isens-');

/** Reading content that does not depend on when it was read. */
const content = (r: Record<string, unknown>): unknown => ({ kind: r['kind'], device: r['device'], deviceTime: r['deviceTime'], observations: r['observations'], flags: r['flags'] });
const DRIVER = 'isens-caresens';

describe('isens-caresens over a pty pair (its serial link)', () => {
  it('downloads the memory (40 results, two GLUE blocks); a second download offers nothing new', async () => {
    const driver = findDriver(DRIVER);
    if (!driver) throw new Error(`${DRIVER} is not registered`);
    const inProcess = (await runAgainstSimulator(driver, { scenario: 'memory', link: 'serial' })).result.readings;
    expect(inProcess).toHaveLength(40);

    const meter = await simulateOnPty(scope, DRIVER, 'memory');
    const first = await meter.read();
    expect(first.code, first.stderr).toBe(0);
    const readings = ndjson(first.stdout);
    // The simulator in the other process has its own clock: compare what does not depend on it.
    const timeless = (r: unknown): unknown => {
      const { deviceTime: _t, ...rest } = content(r as Record<string, unknown>) as Record<string, unknown>;
      return rest;
    };
    expect(readings.map(timeless)).toEqual(inProcess.map(timeless));
    expect(readings.filter((r) => r['kind'] === 'control')).toHaveLength(2);
    expect(first.stderr).toContain('40 reading(s) downloaded: 40 new, 0 already in the store');

    expectNothingNew(await meter.read(), 40);
  });
});
