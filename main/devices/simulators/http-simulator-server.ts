import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HubError } from '../../../shared/errors.ts';
import { requireDriver } from '../../../drivers/index.ts';
import { FrameReader, HttpResponseFramer, MAX_HTTP_PATH, encodeHttpRequest, systemClock, transportFor, type Link } from '../../../drivers/kit/index.ts';
import type { Simulation } from './simulation.ts';

/** How long a request waits for the simulated service's answer before it gets 503. */
const ANSWER_TIMEOUT_MS = 5_000;

/**
 * A driver whose device is a local web service (manifest transport `http`), checked to be
 * playable by `pochub simulate --http`; the serial settings of a Simulation do not apply to it.
 */
export function resolveHttpSimulation(driverId: string, scenario?: string): Simulation {
  const driver = requireDriver(driverId);
  const names = driver.simulator.scenarios.map((s) => s.name);
  const chosen = scenario ?? names[0] ?? 'default';
  if (!names.includes(chosen)) throw new HubError('NOT_FOUND', `driver ${driverId} has no scenario "${chosen}" (it has: ${names.join(', ')})`);
  if (!transportFor(driver.manifest, 'http')) throw new HubError('INPUT_INVALID', `driver ${driverId} does not talk HTTP: use --port or --tcp`);
  return { driver, scenario: chosen, serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } };
}

export interface HttpSimulatorServer {
  readonly port: number;
  /** After a finite scenario: answer 503 at once rather than wait for a service that has stopped. */
  finished(): void;
  close(): Promise<void>;
}

/**
 * Serve a simulated local web service on 127.0.0.1:`port` (0: any free port): each HTTP request is
 * handed to the simulator as a request envelope on `link` (the host side of a memory pair whose
 * device side the simulator plays, drivers/kit/http-exchange.ts) and its response envelope is
 * sent back as the HTTP response. One request at a time, in arrival order, as the envelope has
 * no request ids. GET and POST are both accepted (PROTOCOL.md §2 of the driver).
 */
export async function serveHttpSimulator(link: Link, port: number): Promise<HttpSimulatorServer> {
  const responses = new FrameReader({ link }, new HttpResponseFramer());
  let queue: Promise<void> = Promise.resolve();
  let done = false;
  const reply = (res: ServerResponse, status: number, body: Uint8Array | string): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = req.url ?? '/';
    if ((req.method !== 'GET' && req.method !== 'POST') || !path.startsWith('/') || path.length > MAX_HTTP_PATH || /[^\x21-\x7e]/.test(path)) {
      reply(res, 400, JSON.stringify({ error: 'bad request' }));
      return;
    }
    if (done || link.closed) {
      reply(res, 503, JSON.stringify({ error: 'the simulated service has finished its scenario' }));
      return;
    }
    await link.write(encodeHttpRequest(path));
    const answer = await responses.next(new AbortController().signal, { clock: systemClock, ms: ANSWER_TIMEOUT_MS });
    if (!answer) reply(res, 503, JSON.stringify({ error: 'the simulated service did not answer' }));
    else reply(res, answer.status, Buffer.from(answer.body));
  };
  const server = createServer((req, res) => {
    req.resume();
    queue = queue.then(() => handle(req, res)).catch(() => {
      if (!res.headersSent) reply(res, 500, JSON.stringify({ error: 'simulator failure' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    finished: () => {
      done = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        responses.dispose();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
