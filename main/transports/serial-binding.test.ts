import { afterEach, describe, expect, it } from 'vitest';
import { open } from 'node:fs/promises';
import { createPtyPair, type PtyPair } from '../../test/helpers/pty-pair.ts';
import { hangupSafeBinding } from './serial-binding.ts';

describe('hangupSafeBinding', () => {
  let pair: PtyPair | undefined;
  afterEach(async () => {
    await pair?.close();
    pair = undefined;
  });

  it('waits for data that arrives after the read started', async () => {
    pair = await createPtyPair();
    const port = await hangupSafeBinding.open({ path: pair.a, baudRate: 9600 });
    try {
      const reading = port.read(Buffer.alloc(16), 0, 16);
      const peer = await open(pair.b, 'r+');
      await peer.write(Buffer.from('hi'));
      await peer.close();
      const { buffer, bytesRead } = await reading;
      expect(buffer.subarray(0, bytesRead).toString()).toBe('hi');
    } finally {
      await port.close();
    }
  });

  // The case serialport 13 gets wrong: the hang-up happens while nobody is reading, so every
  // later read returns 0 bytes. Unpatched, this read would never settle.
  it('rejects a read that starts after the tty hung up instead of retrying forever', async () => {
    pair = await createPtyPair();
    const port = await hangupSafeBinding.open({ path: pair.a, baudRate: 9600 });
    try {
      await pair.close();
      const error = await port.read(Buffer.alloc(16), 0, 16).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      // Not "canceled": serialport's stream turns this into a DisconnectedError and closes the port.
      expect(error).not.toHaveProperty('canceled', true);
    } finally {
      if (port.isOpen) await port.close();
    }
  });

  it('treats a read on a closed port as canceled, as serialport expects', async () => {
    pair = await createPtyPair();
    const port = await hangupSafeBinding.open({ path: pair.a, baudRate: 9600 });
    await port.close();
    await expect(port.read(Buffer.alloc(4), 0, 4)).rejects.toMatchObject({ canceled: true });
  });
});
