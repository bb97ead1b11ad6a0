import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HubError } from '../../shared/errors.ts';
import type { Link, SerialSettings } from '../../drivers/kit/index.ts';
import { createPtyPair, type PtyPair } from '../../test/helpers/pty-pair.ts';
import { holdDtr, openSerialLink, serialOpenError } from './serial.ts';
import { collect, nextClose } from '../../test/helpers/link-io.ts';

const settings: SerialSettings = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' };


/** Deterministic pseudo-random bytes so a failure can be reproduced. */
function pattern(length: number): Uint8Array {
  let x = 0x12345678;
  return Uint8Array.from({ length }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  });
}

describe('openSerialLink over a socat pty pair', () => {
  let pair: PtyPair | undefined;
  const links: Link[] = [];
  afterEach(async () => {
    for (const link of links.splice(0)) await link.close();
    await pair?.close();
    pair = undefined;
  });

  it('carries bytes both ways, written in odd-sized chunks', async () => {
    pair = await createPtyPair();
    const host = await openSerialLink(pair.a, settings);
    const device = await openSerialLink(pair.b, settings);
    links.push(host, device);
    expect(host.mode).toBe('bytes');

    // Includes every byte value (raw mode must not translate CR/LF or eat control characters)
    // and is large enough to fill the pty buffer, so writes have to wait for drain.
    const payload = Buffer.concat([Uint8Array.from({ length: 256 }, (_, i) => i), pattern(70_000)]);
    const received = collect(device, payload.length);
    const sizes = [1, 7, 13, 255, 4097, 3];
    for (let at = 0, i = 0; at < payload.length; i++) {
      const size = sizes[i % sizes.length] ?? 1;
      await host.write(payload.subarray(at, at + size));
      at += size;
    }
    expect(Buffer.compare(await received, payload)).toBe(0);

    const reply = Buffer.from('\x06ACK\r\n');
    const back = collect(host, reply.length);
    await device.write(reply.subarray(0, 1));
    await device.write(reply.subarray(1));
    expect(Buffer.from(await back).toString('latin1')).toBe('\x06ACK\r\n');
  });

  it('ends with TRANSPORT_CLOSED when the pty vanishes (socat killed, like an unplug)', async () => {
    pair = await createPtyPair();
    const link = await openSerialLink(pair.a, settings);
    links.push(link);
    const closing = nextClose(link);
    await pair.close();
    const error = await closing;
    expect(error).toBeInstanceOf(HubError);
    expect(error?.code).toBe('TRANSPORT_CLOSED');
    expect(error?.message).toMatch(/disconnected/);
    expect(link.closed).toBe(true);
    await expect(link.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
  });

  it.each(['none', 'xonxoff', 'rtscts'] as const)('ends without an error on a normal close (flow control %s)', async (flowControl) => {
    pair = await createPtyPair();
    const link = await openSerialLink(pair.a, { ...settings, flowControl });
    const closing = nextClose(link);
    await link.close();
    expect(await closing).toBeUndefined();
    expect(link.closed).toBe(true);
  });
});

describe('holdDtr (settings.dtr)', () => {
  const port = (failWith?: string): { calls: { dtr: boolean }[]; set: (o: { dtr: boolean }, cb: (e: Error | null) => void) => void } => {
    const calls: { dtr: boolean }[] = [];
    return { calls, set: (o, cb) => (calls.push(o), cb(failWith === undefined ? null : new Error(failWith))) };
  };

  it('asks the port to hold DTR at the level given', async () => {
    const p = port();
    expect(await holdDtr(p, false, '/dev/ttyUSB0')).toBe('set');
    expect(p.calls).toEqual([{ dtr: false }]);
  });

  it('carries on when the port has no modem lines (a pty refuses the ioctl)', async () => {
    expect(await holdDtr(port('Inappropriate ioctl for device, cannot set'), false, '/dev/pts/3')).toBe('no-modem-lines');
  });

  it('fails the open in words when a real port refuses', async () => {
    await expect(holdDtr(port('Input/output error, cannot set'), false, '/dev/ttyUSB0')).rejects.toMatchObject({
      code: 'TRANSPORT_OPEN_FAILED',
      message: expect.stringContaining('could not set DTR low on /dev/ttyUSB0'),
    });
  });

  it('opens a pty with DTR to be held low and carries bytes (a pty has no DTR to hold)', async () => {
    const pair = await createPtyPair();
    try {
      const host = await openSerialLink(pair.a, settings, { dtr: false });
      const device = await openSerialLink(pair.b, settings);
      const got = collect(device, 1);
      await host.write(Uint8Array.of(0x05));
      expect([...(await got)]).toEqual([0x05]);
      await host.close();
      await device.close();
    } finally {
      await pair.close();
    }
  });
});

describe('openSerialLink errors', () => {
  it('reports a path that does not exist as TRANSPORT_NOT_FOUND', async () => {
    const error = await openSerialLink('/dev/ttyPOCHUB-NOPE', settings).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubError);
    expect(error).toMatchObject({ code: 'TRANSPORT_NOT_FOUND', message: expect.stringContaining('serial port /dev/ttyPOCHUB-NOPE does not exist') });
  });

  it('reports a file that is not a tty as TRANSPORT_OPEN_FAILED', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pochub-serial-'));
    try {
      const file = join(dir, 'not-a-port');
      await writeFile(file, '');
      await expect(openSerialLink(file, settings)).rejects.toMatchObject({ code: 'TRANSPORT_OPEN_FAILED' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // As root the tests cannot be refused access, so the mapping is checked on the bindings' own
  // wording (copied from a real failure as an unprivileged user).
  it.each([
    ['Error: Permission denied, cannot open /dev/pts/0', 'TRANSPORT_ACCESS_DENIED', /dialout group/],
    ['Error Resource temporarily unavailable Cannot lock port', 'TRANSPORT_ACCESS_DENIED', /another program/],
    ['Error: Input/output error, cannot open /dev/ttyUSB0', 'TRANSPORT_OPEN_FAILED', /Input\/output error/],
  ])('maps "%s" to %s', (text, code, words) => {
    const error = serialOpenError('/dev/ttyUSB0', new Error(text));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(words);
    expect(error.cause).toBeInstanceOf(Error);
  });
});
