/**
 * The astm-urine driver through a real `pochub serve` and its API as the Devices screen uses it:
 * the port's test-code map is refused when an entry names a code the catalog lacks, accepted
 * otherwise, used by the port (an analyzer connecting to the listening hub: `pochub simulate
 * --connect`), and exported with the workstation configuration.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationConfig } from '../shared/config/workstation-config.ts';
import type { ReviewItem } from '../shared/api/model.ts';
import { type Call, serveScope, signedIn, until } from './helpers/serve-api.ts';
import { freePort } from './helpers/free-port.ts';

const scope = serveScope('pochub-astm-serve-');
const start = scope.start;
let biomed: Call;
let assistant: Call;

beforeAll(async () => {
  const { base } = await scope.serveDemo();
  biomed = await signedIn(base, '2001', '2345');
  assistant = await signedIn(base, '1001', '1234');
}, 60_000);

describe('an ASTM analyzer port with its test-code map', () => {
  it('refuses an unknown catalog code, takes a valid map, reads an analyzer that connects with it, and exports it', async () => {
    const tcp = await freePort();
    const id = `listen:127.0.0.1:${tcp}`;
    expect((await biomed('addPort', { transport: 'listen', path: `127.0.0.1:${tcp}` })).ok).toBe(true);

    const refused = await biomed('assignPort', { portId: id, driverId: 'astm-urine', options: { testCodes: 'ASC=99999-9' }, autoConnect: false });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(refused.error?.message).toMatch(/ASC: 99999-9 is not a code in the catalog/);

    // The worked example sends Ehrlich units for URO; this port maps ASC too (not sent, harmless).
    const map = 'ASC=5792-7 mg/dL; NIT=5802-4';
    expect((await biomed('assignPort', { portId: id, driverId: 'astm-urine', options: { codeMap: 'lis2-example', testCodes: map }, autoConnect: false })).ok).toBe(true);
    expect((await biomed('connectPort', { portId: id })).ok).toBe(true);
    const analyzer = start(['simulate', '--driver', 'astm-urine', '--scenario', 'strip', '--connect', `127.0.0.1:${tcp}`, '--exit']);
    expect((await analyzer.done).stderr).toContain('scenario finished');

    const item = await until('the strip pending for review', async () =>
      ((await assistant('listReview')).value as ReviewItem[]).find((i) => i.reading.driver === 'astm-urine' && i.reading.context?.sampleId === 'SPC7781'),
    );
    expect(item.reading.observations).toHaveLength(10);
    expect(item.reading.context).toMatchObject({ operatorId: 'OP01', patientId: 'PID0042' });

    const config = (await biomed('exportConfig')).value as WorkstationConfig;
    expect(config.ports.find((p) => p.driverId === 'astm-urine')).toMatchObject({ transport: 'listen', options: { codeMap: 'lis2-example', testCodes: map } });
    expect((await biomed('disconnectPort', { portId: id })).ok).toBe(true);
  }, 120_000);
});
