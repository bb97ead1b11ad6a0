import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { z } from 'zod';

/** Where `--metrics` listens. */
export interface MetricsAddress {
  host: string;
  port: number;
}

/**
 * `--metrics` text: `<port>` (loopback), or `<host>:<port>` / `[<ipv6>]:<port>`. A port alone binds
 * 127.0.0.1 on purpose: the figures name devices and targets, so exposing them beyond the
 * workstation is a choice IT makes by writing the host (docs/monitoring.md).
 */
export const MetricsAddressSchema = z
  .string()
  .transform((text, ctx): MetricsAddress => {
    const m = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):)?(\d{1,5})$/.exec(text.trim());
    const port = m ? Number(m[2]) : NaN;
    if (!m || port > 65535) {
      ctx.addIssue({ code: 'custom', message: '--metrics takes <port> or <host>:<port>, e.g. 9464 or 127.0.0.1:9464 (0: any free port)' });
      return z.NEVER;
    }
    const host = m[1] === undefined ? '127.0.0.1' : m[1].replace(/^\[|\]$/g, '');
    return { host, port };
  });

/** True for an address only this machine reaches (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The running metrics endpoint. */
export interface MetricsServer {
  /** `http://host:port/metrics`, with the port actually bound. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serve `registry` in the Prometheus text format at GET /metrics, nothing else. Separate from the
 * UI's server: it needs no token (Prometheus sends none) and may listen on another interface.
 */
export async function startMetricsServer(address: MetricsAddress, registry: Registry, log: (line: string) => void): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: the metrics are at GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (e: unknown) => {
        // A failed scrape shows as a scrape error in Prometheus (up == 0): never a half exposition.
        log(`metrics: scrape failed: ${e instanceof Error ? e.message : String(e)}`);
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics could not be collected\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    url: `http://${host}:${bound.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
