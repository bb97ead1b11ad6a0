import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../drivers/kit/index.ts';
import { usePortRigs, driver, serialPort, simulatedDevice, type PluggedLink } from '../../../test/helpers/ports-fixtures.ts';

const rigs = usePortRigs();

const PORT = 'serial:/dev/ttyUSB0';
/** The UltraEasy simulator's default memory (drivers/devices/lifescan-onetouch-ultraeasy/simulator.ts). */
const RECORDS = 60;
const CUT_AFTER = 20;

describe('unplug during a download, then replug', () => {
  it('goes absent, reports the interruption, reconnects by itself and imports only the rest', async () => {
    const rig = rigs.start();
    const meter = driver('lifescan-onetouch-ultraeasy');
    // The meter keeps one memory across plugs: its clock is frozen at power-up, as if the same
    // meter came back (the simulator makes its memory relative to its clock).
    const poweredUpAt = rig.clock.now();
    const meterClock: Clock = { now: () => poweredUpAt, setTimer: (ms, cb) => rig.clock.setTimer(ms, cb) };
    let plugged: PluggedLink | undefined;
    rig.behind.set('/dev/ttyUSB0', simulatedDevice(meter, 'memory', meterClock, (link) => (plugged = link)));
    rig.lists.serial = [serialPort('/dev/ttyUSB0', 0x067b, 0x2303, 'CABLE-1')];
    await rig.discovery.scan();
    expect(rig.port(PORT).match.kind).toBe('several');

    // A person chooses the driver; the cable is yanked once 20 records are in.
    const off = rig.workflow.onReviewChange(() => {
      if (rig.arrivals.length === CUT_AFTER) {
        rig.lists.serial = [];
        queueMicrotask(() => plugged?.unplug());
      }
    });
    await rig.ports.assign(PORT, { driverId: meter.manifest.id });
    await rig.clock.runUntilIdle();
    off();
    expect(rig.arrivals).toHaveLength(CUT_AFTER);
    await rig.scan();
    const cut = rig.port(PORT);
    expect(cut).toMatchObject({ present: false, state: 'absent' });
    const interrupted = `Download interrupted after ${CUT_AFTER} of ${RECORDS} records: reconnect the meter to finish; readings already imported will not be imported again.`;
    expect(cut.health.lastError).toBe(interrupted);
    expect(cut.health.hints[0]).toBe(interrupted);
    expect(rigs.store.readings.countReadings({ driverId: meter.manifest.id })).toBe(CUT_AFTER);

    // Plugged in again: it reconnects by itself and downloads the whole memory again, but only
    // the 40 readings not imported before are new.
    rig.lists.serial = [serialPort('/dev/ttyUSB0', 0x067b, 0x2303, 'CABLE-1')];
    await rig.scan();
    const back = rig.port(PORT);
    expect(rig.opened).toEqual(['/dev/ttyUSB0', '/dev/ttyUSB0']);
    expect(back).toMatchObject({ present: true, state: 'idle' });
    expect(back.health.sessions).toBe(2);
    expect(back.health.readings).toBe(CUT_AFTER + RECORDS);
    expect(back.health.hints).toEqual([]);
    expect(rigs.store.readings.countReadings({ driverId: meter.manifest.id })).toBe(RECORDS);
    expect(rig.arrivals).toHaveLength(RECORDS);
    expect(new Set(rig.arrivals).size).toBe(RECORDS);
  });

  it('a device back on another path (same USB serial number) keeps its assignment', async () => {
    const rig = rigs.start();
    rig.lists.serial = [serialPort('/dev/ttyUSB0', 0x0403, 0x6001, 'FT-77')];
    await rig.discovery.scan();
    await rig.ports.assign(PORT, { driverId: 'masimo-rad8', autoConnect: false });
    rig.lists.serial = [];
    await rig.discovery.scan();
    rig.lists.serial = [serialPort('/dev/ttyUSB1', 0x0403, 0x6001, 'FT-77')];
    await rig.discovery.scan();
    expect(rig.port('serial:/dev/ttyUSB1').assignment).toMatchObject({ driverId: 'masimo-rad8', by: 'person', autoConnect: false });
    expect(rig.ports.list().map((p) => p.id)).toEqual(['serial:/dev/ttyUSB1']);
  });
});
