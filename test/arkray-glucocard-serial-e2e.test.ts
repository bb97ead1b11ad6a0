import { describe, expect, it } from 'vitest';
import { findDriver } from '../drivers/index.ts';
import { runAgainstSimulator } from '../drivers/kit/index.ts';
import { ndjson } from './helpers/cli.ts';
import { cliScope } from './helpers/cli-scope.ts';
import { expectNothingNew, simulateOnPty } from './helpers/meter-pty.ts';

/**
 * The Arkray serial meters end to end: `pochub simulate` plays the meter on one end of a socat
 * pty pair, `pochub read` downloads it on the other — the readings, control results kept apart,
 * and a second download that offers nothing new.
 */
const scope = cliScope('pochub-arkray-');

/** Reading content that does not depend on when it was read. */
const content = (r: Record<string, unknown>): unknown => ({ kind: r['kind'], device: r['device'], observations: r['observations'], flags: r['flags'] });

describe.each([
  ['arkray-glucocard-expression', 60],
  ['arkray-relion-prime', 30],
] as const)('%s over a pty pair', (DRIVER, count) => {
  it('downloads the memory; a second download offers nothing new', async () => {
    const driver = findDriver(DRIVER);
    if (!driver) throw new Error(`${DRIVER} is not registered`);
    const inProcess = (await runAgainstSimulator(driver, { scenario: 'memory' })).result.readings;
    expect(inProcess).toHaveLength(count);

    const meter = await simulateOnPty(scope, DRIVER, 'memory');
    const first = await meter.read();
    expect(first.code, first.stderr).toBe(0);
    const readings = ndjson(first.stdout);
    expect(readings.map(content)).toEqual(inProcess.map((r) => content(r as unknown as Record<string, unknown>)));
    expect(readings.filter((r) => r['kind'] === 'control').length).toBe(inProcess.filter((r) => r.kind === 'control').length);
    expect(first.stderr).toContain(`${count} reading(s) downloaded: ${count} new, 0 already in the store`);

    expectNothingNew(await meter.read(), count);
  });
});
