import { describe, expect, it } from 'vitest';
import type { DeviceIdentity } from '../../shared/reading.ts';
import { settle, VirtualClock } from './clock.ts';
import type { DriverContext } from './driver.ts';
import { LineFramer } from './framers/index.ts';
import { createLinkPair } from './link.ts';
import { StreamingSession } from './streaming-session.ts';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** A device whose good frames start with `R`; every frame acquire sees is recorded. */
class LinesSession extends StreamingSession<Uint8Array> {
  readonly seen: string[] = [];
  protected decodes(frame: Uint8Array): boolean {
    return text(frame).startsWith('R');
  }
  protected onFrame(frame: Uint8Array): void {
    this.seen.push(text(frame));
  }
  async identify(): Promise<DeviceIdentity> {
    return { manufacturer: 'Test', model: 'T' };
  }
}

async function probedThenAcquired(keepProbed: boolean): Promise<string[]> {
  const { host, device } = createLinkPair();
  const clock = new VirtualClock();
  const session = new LinesSession({ link: host, clock } as unknown as DriverContext, () => new LineFramer(), 5_000, keepProbed);
  const signal = new AbortController().signal;
  await device.write(new TextEncoder().encode('noise\r\nR first result\r\n'));
  await settle();
  expect(await session.probe(signal)).toBe(true);
  await session.open(signal);
  const acquiring = session.acquire(signal);
  await device.write(new TextEncoder().encode('R second result\r\n'));
  await settle();
  await device.close();
  await acquiring;
  await session.close();
  return session.seen;
}

describe('StreamingSession', () => {
  it('keepProbed: the frames the probe read reach onFrame first, the result among them', async () => {
    expect(await probedThenAcquired(true)).toEqual(['noise', 'R first result', 'R second result']);
  });

  it('by default the probe drops what it read (a streaming device repeats itself)', async () => {
    expect(await probedThenAcquired(false)).toEqual(['R second result']);
  });
});
