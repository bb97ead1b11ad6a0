import { afterEach, describe, expect, it } from 'vitest';
import { DRIVERS } from '../../../drivers/index.ts';
import { createLinkPair, systemClock, type SessionResult } from '../../../drivers/kit/index.ts';
import type { PortRecord } from '../../store/ports-repo.ts';
import { listenTcpLink } from '../../transports/index.ts';
import { noTraceService } from './no-trace.ts';
import { PortManager } from './port-manager.ts';

/**
 * A driver whose manifest says it cannot run on this OS yet (`unsupportedOn`, the OneTouch Verio
 * on Windows and macOS) is refused before any link is opened, and the port says why.
 */
const realPlatform = process.platform;
afterEach(() => {
  Object.defineProperty(process, 'platform', { value: realPlatform });
});

function managerWith(record: PortRecord, opened: string[]): PortManager {
  const records = new Map([[record.id, record]]);
  return new PortManager({
    drivers: DRIVERS,
    repo: { list: () => [...records.values()], get: (id) => records.get(id), save: () => undefined, remove: () => undefined, discovery: () => ({ autoConnect: false, pollMs: 2000 }) },
    devices: { run: () => Promise.resolve({ readings: [], end: 'completed' } as unknown as SessionResult) },
    trace: noTraceService(),
    openLink: (spec) => {
      opened.push(spec.type);
      return Promise.resolve(createLinkPair().host);
    },
    listen: listenTcpLink,
    pathExists: () => true,
    clock: systemClock,
    onChange: () => undefined,
    log: () => undefined,
  });
}

describe('a driver not supported on this OS yet', () => {
  it.each(['win32', 'darwin'] as const)('%s: the Verio port fails with the reason, and nothing is opened', async (platform) => {
    Object.defineProperty(process, 'platform', { value: platform });
    const record: PortRecord = { id: 'serial:/tmp/verio', transport: 'serial', path: '/tmp/verio', origin: 'manual', assignment: { driverId: 'lifescan-onetouch-verio', options: {}, autoConnect: true, by: 'person' } };
    const opened: string[] = [];
    const manager = managerWith(record, opened);
    try {
      manager.connectStored();
      await expect.poll(() => manager.list()[0]?.health.lastError ?? '').toMatch(/OneTouch Verio \(USB\) cannot be read on this computer yet\. (Windows|macOS): not supported yet/);
      expect(manager.list()[0]?.state).toBe('error');
      expect(opened).toEqual([]);
    } finally {
      await manager.close();
    }
  });
});
