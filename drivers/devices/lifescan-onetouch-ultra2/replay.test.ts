import { describe, expect, it } from 'vitest';
import { type DriverEvent, parseTrace, ReplayLink, replaySession, resolveOptions, runSession } from '../../kit/index.ts';
import { lifescanOnetouchUltra2Driver as driver } from './index.ts';

/**
 * The example exchange of PROTOCOL.md §9 as a trace, inline (the same lines are the fixture
 * `fixtures/tidepool-real-lines.trace`): Tidepool's real header and three records of meter
 * GMF600DCY, their real checksums, and the DMT example with its computed echo.
 */
const REAL_EXCHANGE = String.raw`# pochub-trace 1
# driver: lifescan-onetouch-ultra2
# transport: serial 9600 8N1
# recorded: 2015-03-21T16:47:01.850Z
# note: PROTOCOL.md section 9
0.000 > 11 0D 44 4D 40 0D
0.050 < "@ \"GMF600DCY\" 02F4\r\n"
0.100 > 11 0D 44 4D 3F 0D
0.150 < "?P02.00.00 30/08/06 03BC\r\n"
0.200 > 11 0D 44 4D 46 0D
0.250 < "F \"SAT\",\"03/21/15\",\"16:47:02   \" 0604\r\n"
0.300 > 11 0D 44 4D 50 0D
0.350 < "P 003,\"GMF600DCY\",\"MG/DL \" 05A6\r\nP \"SAT\",\"03/21/15\",\"16:45:24   \",\"  081 \",\"N\",\"03\", 00 09B6\r\n"
0.400 < "P \"SAT\",\"03/21/15\",\"16:42:11   \",\"  105 \",\"B\",\"02\", 00 099F\r\nP \"SAT\",\"03/21/15\",\"16:39:46   \",\"  176 \",\"N\",\"02\", 00 09C1\r\n"
0.500 > 11 0D 44 4D 54 30 33 2F 32 31 2F 31 35 20 31 36 3A 35 30 3A 30 30 0D
0.550 < "T \"SAT\",\"03/21/15\",\"16:50:00   \" 060A\r\n"
`;

const EXPECTED = [
  { deviceTime: '2015-03-21T16:39:46', value: 176, flags: ['comment:too-much-food'] },
  { deviceTime: '2015-03-21T16:42:11', value: 105, flags: ['meal:before', 'comment:too-much-food'] },
  { deviceTime: '2015-03-21T16:45:24', value: 81, flags: ['comment:mild-exercise'] },
];

describe('replaying the PROTOCOL.md §9 exchange', () => {
  it('gives the three real records, checked by hand against PROTOCOL.md', async () => {
    const { result } = await replaySession(driver, parseTrace(REAL_EXCHANGE), { idleMs: 200 });
    expect(result.error).toBeUndefined();
    expect(result.identity).toEqual({ manufacturer: 'LifeScan', model: 'OneTouch Ultra 2', serial: 'GMF600DCY', firmware: 'P02.00.00 30/08/06' });
    expect(result.deviceClock).toMatchObject({ deviceTime: '2015-03-21T16:47:02', canSet: true });
    expect(
      result.readings.map((r) => ({ deviceTime: r.deviceTime, value: r.observations[0]?.value?.kind === 'quantity' ? r.observations[0].value.value : undefined, flags: r.flags })),
    ).toEqual(EXPECTED);
    for (const r of result.readings) {
      expect(r).toMatchObject({ kind: 'patient', device: { serial: 'GMF600DCY' }, effectiveTime: `${r.deviceTime}+00:00`, clock: { source: 'device', skewSeconds: 0 } });
      expect(r.observations).toEqual([{ code: '41653-7', display: 'Glucose [Mass/volume] in Capillary blood by Glucometer', mdc: 160184, value: expect.objectContaining({ unit: 'mg/dL' }) }]);
    }
  });

  it('the same lines ended by CR alone give the same readings', async () => {
    const trace = parseTrace(REAL_EXCHANGE.replace(/\\r\\n/g, '\\r'));
    const link = new ReplayLink(trace, { idleMs: 200 });
    const result = await runSession({ driver, link, clock: link.clock, timePolicy: { skewCheck: true } });
    await link.close();
    expect(result.readings.map((r) => r.deviceTime)).toEqual(EXPECTED.map((e) => e.deviceTime));
  });

  it('sets the clock with the PROTOCOL.md §9 DMT command and accepts its echo (060A)', async () => {
    const trace = parseTrace(REAL_EXCHANGE);
    const link = new ReplayLink(trace, { idleMs: 200 });
    const events: DriverEvent[] = [];
    const signal = new AbortController().signal;
    const session = driver.createSession({ link, clock: link.clock, signal, options: resolveOptions(driver.manifest), emit: (e) => events.push(e) });
    await session.open(signal);
    await session.identify(signal);
    await session.acquire(signal);
    await session.setClock?.(new Date(2015, 2, 21, 16, 50, 0).getTime(), signal);
    await session.close();
    await link.close();
    expect(link.unusedExchanges).toBe(0);
    expect(events.filter((e) => e.type === 'reading')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'problem')).toEqual([]);
  });
});
