import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../../../drivers/index.ts';
import { createLinkPair, systemClock, type SessionResult } from '../../../drivers/kit/index.ts';
import type { PortRecord } from '../../store/ports-repo.ts';
import { listenTcpLink, type LinkSpec } from '../../transports/index.ts';
import { noTraceService } from './no-trace.ts';
import { PortManager } from './port-manager.ts';

/**
 * A hub restarted with ports stored (docs/architecture.md §6, "Ports"): the ports added by hand
 * that auto-connect are connected again at start-up, without a discovery listing them (it never
 * lists a pty or a TCP box); ports that do not auto-connect, or are discovered ones, wait.
 */
const assignment = (driverId: string, autoConnect: boolean): PortRecord['assignment'] => ({ driverId, options: {}, autoConnect, by: 'person' });
const STORED: PortRecord[] = [
  { id: 'serial:/tmp/pty-meter', transport: 'serial', path: '/tmp/pty-meter', origin: 'manual', assignment: assignment('lifescan-onetouch-ultra2', true) },
  { id: 'tcp:10.0.0.7:4001', transport: 'tcp', path: '10.0.0.7:4001', origin: 'manual', assignment: assignment('siemens-clinitek-status', true) },
  { id: 'serial:/tmp/pty-held', transport: 'serial', path: '/tmp/pty-held', origin: 'manual', assignment: assignment('masimo-rad8', false) },
  { id: 'serial:/dev/ttyUSB0', transport: 'serial', path: '/dev/ttyUSB0', origin: 'discovered', assignment: assignment('masimo-rad8', true) },
  { id: 'serial:/tmp/pty-gone', transport: 'serial', path: '/tmp/pty-gone', origin: 'manual', assignment: assignment('masimo-rad8', true) },
];

describe('ports stored before a restart', () => {
  it('connects the auto-connecting ports added by hand at start-up, and only those', async () => {
    const opened: string[] = [];
    const records = new Map(STORED.map((r) => [r.id, r]));
    const manager = new PortManager({
      drivers: DRIVERS,
      repo: {
        list: () => [...records.values()],
        get: (id) => records.get(id),
        save: () => undefined,
        remove: () => undefined,
        discovery: () => ({ autoConnect: false, pollMs: 2000 }),
      },
      // A device that never answers: the session stays open until the manager closes.
      devices: { run: (_driver, _link, opts) => new Promise<SessionResult>((resolve) => opts.signal?.addEventListener('abort', () => resolve({ readings: [], end: 'aborted' } as unknown as SessionResult))) },
      trace: noTraceService(),
      openLink: (spec: LinkSpec) => {
        opened.push(spec.type === 'tcp' ? `${spec.host}:${spec.port}` : spec.type === 'http' ? spec.url : spec.type === 'usb' ? (spec.busPath ?? '') : (spec.path ?? ''));
        return Promise.resolve(createLinkPair().host);
      },
      listen: listenTcpLink,
      pathExists: (path) => path !== '/tmp/pty-gone' && path !== '/dev/ttyUSB0',
      clock: systemClock,
      onChange: () => undefined,
      log: () => undefined,
    });
    try {
      manager.connectStored();
      await expect.poll(() => manager.list().filter((p) => p.state === 'connected').map((p) => p.id)).toEqual(['serial:/tmp/pty-meter', 'tcp:10.0.0.7:4001']);
      expect(opened.sort()).toEqual(['/tmp/pty-meter', '10.0.0.7:4001']);
    } finally {
      await manager.close();
    }
  });
});
