import { describe, expect, it } from 'vitest';
import { NO_DATA_AFTER_MS, NO_DATA_HINT } from '../ports/port-health.ts';
import { usePortRigs, driver, rawDevice, simulatedDevice } from '../../../test/helpers/ports-fixtures.ts';

const rigs = usePortRigs();

const PTY = '/tmp/pochub-test-pty';
const PORT = `serial:${PTY}`;

/** A pty added by hand with `driverId` assigned, the device behind it made by `device`. */
async function assigned(rig: ReturnType<typeof rigs.start>, driverId: string, device: Parameters<ReturnType<typeof rigs.start>['behind']['set']>[1]): Promise<void> {
  rig.files.add(PTY);
  rig.behind.set(PTY, device);
  rig.ports.addPort('serial', PTY);
  await rig.ports.assign(PORT, { driverId });
}

describe('port health', () => {
  it('no byte at all: the cable and power hint, after a while', async () => {
    const rig = rigs.start();
    await assigned(rig, 'masimo-rad8', rawDevice([]));
    await rig.clock.runUntilIdle();
    expect(rig.port(PORT)).toMatchObject({ state: 'connected', health: { hints: [] } });
    // Let the device's silence last (the clock only moves to a timer).
    rig.clock.setTimer(NO_DATA_AFTER_MS, () => undefined);
    await rig.clock.runUntilIdle(NO_DATA_AFTER_MS);
    const hints = rig.port(PORT).health.hints;
    expect(hints[0]).toBe(NO_DATA_HINT);
    expect(hints).toContain(driver('masimo-rad8').manifest.hints[0]);
  });

  it('garbage bytes: the baud-rate hint', async () => {
    const rig = rigs.start();
    const noise = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 0x80) & 0xff);
    await assigned(rig, 'masimo-rad8', rawDevice([noise, Uint8Array.of(0x0d, 0x0a), noise, Uint8Array.of(0x0d, 0x0a)]));
    await rig.clock.runUntilIdle();
    const port = rig.port(PORT);
    expect(port.state).toBe('connected');
    expect(port.health.lastSeen).toBeDefined();
    expect(port.health.hints[0]).toBe('Data arrives but cannot be read: wrong baud rate or line settings? The driver expects 9600 8N1.');
  });

  it('checksum errors in a download are counted', async () => {
    const rig = rigs.start();
    const meter = driver('lifescan-onetouch-ultraeasy');
    await assigned(rig, meter.manifest.id, simulatedDevice(meter, 'checksum-error', rig.clock));
    await rig.clock.runUntilIdle();
    const port = rig.port(PORT);
    expect(port.health.checksumErrors).toBeGreaterThan(0);
    expect(port.health.sessions).toBe(1);
  });

  it('lost answers are counted as timeouts', async () => {
    const rig = rigs.start();
    const meter = driver('lifescan-onetouch-ultraeasy');
    await assigned(rig, meter.manifest.id, simulatedDevice(meter, 'lost-response', rig.clock));
    await rig.clock.runUntilIdle();
    expect(rig.port(PORT).health.timeouts).toBeGreaterThan(0);
  });
});

describe('test connection', () => {
  it('names the device that answered', async () => {
    const rig = rigs.start();
    const meter = driver('lifescan-onetouch-ultraeasy');
    rig.files.add(PTY);
    rig.behind.set(PTY, simulatedDevice(meter, 'memory', rig.clock));
    rig.ports.addPort('serial', PTY);
    await rig.ports.assign(PORT, { driverId: meter.manifest.id, autoConnect: false });
    const testing = rig.ports.test(PORT);
    await rig.clock.runUntilIdle();
    const result = await testing;
    expect(result.ok).toBe(true);
    expect(result.message).toBe('LifeScan OneTouch UltraEasy / UltraMini SN SIMUE0001 answered.');
    expect(rig.port(PORT).health.sessions).toBe(0);
  });

  it('says in plain words when nothing answers', async () => {
    const rig = rigs.start();
    rig.files.add(PTY);
    rig.behind.set(PTY, rawDevice([]));
    rig.ports.addPort('serial', PTY);
    await rig.ports.assign(PORT, { driverId: 'masimo-rad8', autoConnect: false });
    const testing = rig.ports.test(PORT);
    await rig.clock.runUntilIdle();
    const result = await testing;
    expect(result.ok).toBe(false);
    expect(result.message.startsWith(`No answer within 3 s: ${NO_DATA_HINT}`)).toBe(true);
  });
});
