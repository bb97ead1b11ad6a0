import { observe, quantity } from '../../shared/observation.ts';
import { fromLatin1, latin1 } from './bytes.ts';
import { hex2, sum8 } from './checksums.ts';
import { sleep } from './clock.ts';
import { defineConformanceSuite } from './conformance.ts';
import type { Driver } from './driver.ts';
import { FrameReader } from './frame-reader.ts';
import { StxEtxFramer } from './framers/stx-etx.ts';
import { DEFAULT_DEADLINES } from './manifest.ts';

/**
 * A minimal driver with a checksum (`STX HR=nnn ETX` + two hex sum digits), so the suite's
 * checksum branch runs even before a registered driver has one. It exercises the suite itself.
 */
const exampleDriver: Driver = {
  manifest: {
    id: 'example-checksummed',
    name: 'Example checksummed heart-rate device',
    manufacturer: 'Example',
    models: ['E1'],
    category: 'vitals',
    kind: 'discrete',
    transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
    usb: [],
    checksum: true,
    options: [],
    deadlines: DEFAULT_DEADLINES,
    hints: ['none'],
  },
  createSession: (ctx) => {
    const reader = new FrameReader(ctx, new StxEtxFramer({ trailerLength: 2 }));
    return {
      probe: async () => true,
      open: async () => undefined,
      identify: async () => ({ manufacturer: 'Example', model: 'E1' }),
      acquire: async (signal) => {
        for (let frame = await reader.next(signal); frame; frame = await reader.next(signal)) {
          const text = latin1(frame);
          const body = frame.subarray(1, frame.length - 2);
          if (hex2(sum8(body)) !== text.slice(-2)) {
            ctx.emit({ type: 'problem', code: 'PROTOCOL_CHECKSUM', message: 'bad checksum', raw: frame });
            continue;
          }
          const m = /^\x02HR=(\d{3})\x03/.exec(text);
          if (!m) {
            ctx.emit({ type: 'problem', code: 'PROTOCOL_GARBAGE', message: 'not a reading', raw: frame });
            continue;
          }
          const draft = { device: { manufacturer: 'Example', model: 'E1' }, kind: 'patient' as const, timeBasis: 'live' as const, flags: [], raw: [frame] };
          ctx.emit({ type: 'reading', draft: { ...draft, observations: [observe('heartRate', quantity(Number(m[1]), '/min'))] } });
        }
      },
      close: async () => reader.dispose(),
    };
  },
  simulator: {
    scenarios: [{ name: 'three', description: 'three readings a second apart' }],
    run: async ({ link, clock, signal, fault }) => {
      for (const hr of [61, 72, 140]) {
        await sleep(clock, 1000, signal).catch(() => undefined);
        if (signal.aborted || link.closed) return;
        const body = `HR=${String(hr).padStart(3, '0')}\x03`;
        let frame = fromLatin1(`\x02${body}${hex2(sum8(fromLatin1(body)))}`);
        if (fault === 'bad-checksum') frame[frame.length - 1] = frame[frame.length - 1] === 0x30 ? 0x31 : 0x30;
        if (fault === 'truncate') frame = frame.subarray(0, 4);
        await link.write(frame);
      }
    },
  },
};

defineConformanceSuite(exampleDriver);
