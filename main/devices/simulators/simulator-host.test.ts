import { describe, expect, it } from 'vitest';
import { findDriver } from '../../../drivers/index.ts';
import { systemClock, createLinkPair, runSession, type Link } from '../../../drivers/kit/index.ts';
import type { Reading } from '../../../shared/reading.ts';
import { createPtyPair } from '../../../test/helpers/pty-pair.ts';
import { openSerialLink } from '../../transports/serial.ts';
import { scaledClock } from '../scaled-clock.ts';
import { createSimulatorService } from './simulator-host.ts';

describe('simulators on a serial port', () => {
  it('plays a driver\'s device on one end of a real pty pair; the driver reads it on the other; stop closes the port', async () => {
    const pty = await createPtyPair();
    const lines: string[] = [];
    // Ten times faster, so the scenario's 2 s gaps between strips take 0.2 s.
    const service = createSimulatorService({ clock: scaledClock(10), log: (l) => lines.push(l) });
    let host: Link | undefined;
    try {
      const info = await service.start('siemens-clinitek-status', pty.a);
      expect(info).toMatchObject({ id: expect.any(String), driverId: 'siemens-clinitek-status', scenario: 'results', path: pty.a });
      expect(service.list()).toEqual([info]);

      const driver = findDriver('siemens-clinitek-status');
      if (!driver || driver.manifest.transport.type !== 'serial') throw new Error('driver');
      host = await openSerialLink(pty.b, driver.manifest.transport.serial);
      const readings: Reading[] = [];
      const done = new AbortController();
      const session = runSession({
        driver,
        link: host,
        clock: systemClock,
        signal: done.signal,
        onEvent: (e) => {
          if (e.type !== 'reading') return;
          readings.push(e.reading);
          if (readings.length === 3) done.abort();
        },
      });
      const result = await session;
      expect(result.end).toBe('aborted');
      expect(readings).toHaveLength(3);
      expect(readings.every((r) => r.driver === 'siemens-clinitek-status' && r.observations.length > 0)).toBe(true);

      await service.stop(info.id);
      expect(service.list()).toEqual([]);
      expect(lines.some((l) => l.includes(`${pty.a} closed`))).toBe(true);
      // The port is free again: serialport locks it exclusively while a simulator holds it.
      const again = await openSerialLink(pty.a, driver.manifest.transport.serial);
      await again.close();
      await expect(service.stop(info.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await host?.close();
      await service.close();
      await pty.close();
    }
  });

  it('refuses HID drivers, unknown drivers and scenarios (listing the valid names) and a busy path', async () => {
    const opened: string[] = [];
    const fakeOpen = async (path: string): Promise<Link> => {
      opened.push(path);
      return createLinkPair().device;
    };
    const service = createSimulatorService({ openSerial: fakeOpen });
    await expect(service.start('ascensia-contour-next', '/dev/pts/9')).rejects.toMatchObject({ code: 'INPUT_INVALID', message: expect.stringContaining('HID') });
    await expect(service.start('nope', '/dev/pts/9')).rejects.toMatchObject({ code: 'DRIVER_UNKNOWN', message: expect.stringContaining('masimo-rad8') });
    await expect(service.start('masimo-rad8', '/dev/pts/9', 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('spot-check') });
    expect(opened).toEqual([]);
    const first = await service.start('masimo-rad8', '/dev/pts/9', 'spot-check');
    await expect(service.start('siemens-clinitek-status', '/dev/pts/9')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(service.list().map((s) => s.id)).toEqual([first.id]);
    await service.close();
    expect(service.list()).toEqual([]);
  });
});
