import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError, HubError } from '../../shared/errors.ts';
import type { Link } from '../../drivers/kit/index.ts';
import { listenTcpLink, openTcpLink, type TcpListener } from './tcp.ts';
import { collect, nextClose } from '../../test/helpers/link-io.ts';
import { freePort } from '../../test/helpers/free-port.ts';

/** A loopback port nobody listens on: bind one, note it, let it go. */
const closedPort = freePort;

describe('TCP links on 127.0.0.1', () => {
  let listener: TcpListener | undefined;
  const links: Link[] = [];
  afterEach(async () => {
    for (const link of links.splice(0)) await link.close();
    await listener?.close();
    listener = undefined;
  });

  it('carries bytes both ways', async () => {
    listener = await listenTcpLink(0);
    const host = await openTcpLink('127.0.0.1', listener.port, { connectTimeoutMs: 5_000 });
    const device = await listener.accept();
    links.push(host, device);
    expect(host.mode).toBe('bytes');

    const payload = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 31) & 0xff));
    const arrived = collect(device, payload.length);
    for (const [from, to] of [[0, 1], [1, 8], [8, 4_001], [4_001, payload.length]] as const) {
      await host.write(payload.subarray(from, to));
    }
    expect((await arrived).equals(payload)).toBe(true);

    const back = collect(host, 3);
    await device.write(Uint8Array.of(0x06, 0x0d, 0x0a));
    expect([...(await back)]).toEqual([0x06, 0x0d, 0x0a]);
  });

  it('queues a connection that arrives before accept()', async () => {
    listener = await listenTcpLink(0);
    const host = await openTcpLink('127.0.0.1', listener.port);
    links.push(host);
    await host.write(Uint8Array.of(0x05)); // sent before the device side exists
    const device = await listener.accept();
    links.push(device);
    expect([...(await collect(device, 1))]).toEqual([0x05]);
  });

  it('ends the host link with TRANSPORT_CLOSED when the device closes, and the device link without error', async () => {
    listener = await listenTcpLink(0);
    const host = await openTcpLink('127.0.0.1', listener.port);
    const device = await listener.accept();
    links.push(host);
    const hostClosed = nextClose(host);
    const deviceClosed = nextClose(device);
    await device.close();
    expect(await deviceClosed).toBeUndefined();
    const error = await hostClosed;
    expect(error).toBeInstanceOf(HubError);
    expect(error?.code).toBe('TRANSPORT_CLOSED');
    expect(error?.message).toMatch(/disconnected/);
    await expect(host.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
  });

  it('rejects pending accepts when the listener closes', async () => {
    listener = await listenTcpLink(0);
    const pending = listener.accept();
    await listener.close();
    await expect(pending).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
    await expect(listener.accept()).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
  });

  it('reports a port already in use', async () => {
    listener = await listenTcpLink(0);
    await expect(listenTcpLink(listener.port)).rejects.toMatchObject({ code: 'TRANSPORT_OPEN_FAILED', message: expect.stringMatching(/already in use/) });
  });
});

describe('openTcpLink failures', () => {
  it('maps a refused connection to TRANSPORT_OPEN_FAILED with a clear message', async () => {
    const port = await closedPort();
    const error = await openTcpLink('127.0.0.1', port).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubError);
    expect(error).toMatchObject({ code: 'TRANSPORT_OPEN_FAILED' });
    expect((error as HubError).message).toBe(`127.0.0.1:${port} refused the connection: check the port number and that the device accepts connections`);
    expect((error as HubError).cause).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('is cancelled by an aborted signal', async () => {
    const port = await closedPort();
    const error = await openTcpLink('127.0.0.1', port, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
  });
});
