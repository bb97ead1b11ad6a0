import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { driver, simulatedDevice, usePortRigs } from '../../../test/helpers/ports-fixtures.ts';

const rigs = usePortRigs();

/**
 * A folder port in the port manager: a real folder for its presence (no lister sees it), the
 * Accu-Chek Mobile simulator behind the link. Each listing looks at the folders again.
 */
describe('a folder port in the port manager', () => {
  let root: string;
  let volume: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pochub-folder-manager-'));
    volume = join(root, 'ACCU-CHEK');
    mkdirSync(volume);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is added by absolute path, read once when assigned, announced gone and back at listings, and read again when back', async () => {
    const rig = rigs.start();
    const meter = driver('roche-accu-chek-mobile');
    rig.behind.set(volume, simulatedDevice(meter, 'memory', rig.clock));
    expect(() => rig.ports.addPort('folder', 'ACCU-CHEK')).toThrow(expect.objectContaining({ code: 'INPUT_INVALID', message: expect.stringMatching(/not an absolute folder path/) }));
    const added = rig.ports.addPort('folder', `${volume}/`);
    const id = `folder:${volume}`;
    expect(added).toMatchObject({ id, path: volume, transport: 'folder', origin: 'manual', present: true, state: 'idle', match: { kind: 'none' } });
    // Added twice (with or without the separator): one port.
    rig.ports.addPort('folder', volume);
    expect(rig.ports.list().filter((p) => p.transport === 'folder')).toHaveLength(1);

    await rig.ports.assign(id, { driverId: 'roche-accu-chek-mobile' });
    await rig.clock.runUntilIdle();
    expect(rig.opened).toEqual([volume]);
    expect(rig.port(id)).toMatchObject({ state: 'idle', present: true, health: { sessions: 1, readings: 7 } });
    // A listing with the folder still there reads nothing again: Read now (connect) does.
    await rig.scan();
    expect(rig.opened).toEqual([volume]);

    rmSync(volume, { recursive: true });
    const before = rig.changes();
    await rig.scan();
    expect(rig.changes()).toBeGreaterThan(before);
    const gone = rig.port(id);
    expect(gone).toMatchObject({ present: false, state: 'absent' });
    expect(gone.health.hints[0]).toMatch(/is not there: is the meter connected/);
    expect(() => rig.ports.connect(id)).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/is not there/) }));
    await rig.scan();
    expect(rig.opened).toEqual([volume]);

    // Plugged in again (its disk mounted): read again on its own, as a replugged meter is.
    mkdirSync(volume);
    await rig.scan();
    expect(rig.opened).toEqual([volume, volume]);
    expect(rig.port(id)).toMatchObject({ present: true, health: { sessions: 2 } });
  });
});
