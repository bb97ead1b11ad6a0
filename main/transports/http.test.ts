import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpResponseFramer, encodeHttpRequest, latin1, type Link } from '../../drivers/kit/index.ts';
import type { HubError } from '../../shared/errors.ts';
import { openLink } from './index.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<number> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function responses(link: Link): { status: number; body: string }[] {
  const framer = new HttpResponseFramer();
  const out: { status: number; body: string }[] = [];
  link.onData((chunk) => out.push(...framer.push(chunk).frames.map((f) => ({ status: f.status, body: latin1(f.body) }))));
  return out;
}

describe('the HTTP link', () => {
  it('performs each request envelope as a GET on the loopback service, in order, and answers with its envelope', async () => {
    const seen: string[] = [];
    const port = await serve((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url }));
    });
    const link = await openLink({ type: 'http', url: `http://127.0.0.1:${port}/` });
    const got = responses(link);
    await link.write(encodeHttpRequest('/a?x=1'));
    await link.write(encodeHttpRequest('/missing'));
    await expect.poll(() => got.length, { timeout: 10_000 }).toBe(2);
    expect(seen).toEqual(['GET /a?x=1', 'GET /missing']);
    expect(got).toEqual([
      { status: 200, body: '{"path":"/a?x=1"}' },
      { status: 404, body: '{"path":"/missing"}' },
    ]);
    await link.close();
  });

  it('refuses a host that is not loopback before any request', async () => {
    await expect(openLink({ type: 'http', url: 'http://192.168.0.10:9233' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('ends with TRANSPORT_CLOSED, saying why, when the service cannot be reached', async () => {
    const port = await serve((_req, res) => res.end());
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    const link = await openLink({ type: 'http', url: `http://127.0.0.1:${port}` });
    const ended = new Promise<HubError | undefined>((resolve) => link.onClose(resolve));
    await link.write(encodeHttpRequest('/WelchAllyn/Device/GetDevices'));
    const error = await ended;
    expect(error?.code).toBe('TRANSPORT_CLOSED');
    expect(error?.message).toMatch(/did not answer \(.*ECONNREFUSED/);
  });
});
