import { z } from 'zod';
import { isHubError } from '../../shared/errors.ts';
import { createLinkPair, type Link } from '../../drivers/kit/index.ts';
import { resolveHttpSimulation, serveHttpSimulator, type HttpSimulatorServer } from '../devices/simulators/http-simulator-server.ts';
import { scaledClock } from '../devices/scaled-clock.ts';
import { playSimulation, resolveSimulation, type Simulation } from '../devices/simulators/simulation.ts';
import { listenTcpLink, openSerialLink, openTcpLink } from '../transports/index.ts';
import { PositiveInt, PositiveSeconds, TcpArgSchema, parseArgs } from './args.ts';
import { OptionArgsSchema, parseDriverOptions } from './driver-option-args.ts';
import type { Io } from './io.ts';
import { commandFailure, commandFailureOf, errorLine } from './output.ts';

const SimulateArgs = z
  .object({
    driver: z.string().min(1),
    port: z.string().min(1).optional(),
    // 0 asks the system for a free port; the one chosen is printed.
    tcp: z.string().regex(/^\d{1,5}$/, '--tcp takes a port number').transform(Number).refine((n) => n <= 65535, '--tcp takes a port number').optional(),
    // A local web service device (manifest transport http): serve its JSON on 127.0.0.1:<port>.
    http: z.string().regex(/^\d{1,5}$/, '--http takes a port number').transform(Number).refine((n) => n <= 65535, '--http takes a port number').optional(),
    // A device that connects to the hub itself (IHE PCD-01 monitors): connect to the hub's listening port.
    connect: TcpArgSchema.optional(),
    baud: PositiveInt('--baud').optional(),
    scenario: z.string().min(1).optional(),
    speed: PositiveSeconds('--speed').optional(),
    exit: z.boolean().optional(),
    option: OptionArgsSchema,
  })
  .refine((a) => [a.port, a.tcp, a.http, a.connect].filter((x) => x !== undefined).length === 1, { message: 'give exactly one of --port, --tcp, --http or --connect', path: ['port'] });

/**
 * `pochub simulate`: play a driver's device on a serial port (one end of a pty pair, or a
 * USB-serial cable to another machine) or on a TCP port. After a finite scenario the device
 * stays connected and silent, as a real one would, until stopped (or exits with --exit).
 */
export async function simulateCommand(raw: Record<string, unknown>, io: Io, stop: AbortSignal): Promise<number> {
  const args = parseArgs(SimulateArgs, raw);
  let simulation: Simulation;
  try {
    simulation = args.http !== undefined ? resolveHttpSimulation(args.driver, args.scenario) : resolveSimulation(args.driver, args.scenario);
  } catch (e) {
    throw commandFailureOf(e, { message: isHubError(e) ? e.message : errorLine(e), exitCode: 2 });
  }
  const { driver, scenario } = simulation;
  // The same --option list as the `pochub read` on the other end, checked the same way, so a
  // script that drives both is told of a typo before any port is opened. The simulators play
  // their device the same whatever the host-side settings.
  parseDriverOptions(driver.manifest, args.option);

  let link: Link;
  let closeListener = async (): Promise<void> => undefined;
  let httpServer: HttpSimulatorServer | undefined;
  try {
    if (args.http !== undefined) {
      const pair = createLinkPair();
      const server = await serveHttpSimulator(pair.host, args.http);
      httpServer = server;
      closeListener = () => server.close();
      io.err(`simulator for ${driver.manifest.id} serving HTTP on http://127.0.0.1:${server.port}`);
      link = pair.device;
    } else if (args.port) {
      if (!simulation.serial) throw commandFailure('INPUT_INVALID', `driver ${driver.manifest.id} is a network device: use --tcp <port> or --connect <host:port>`, { exitCode: 2 });
      link = await openSerialLink(args.port, { ...simulation.serial, ...(args.baud ? { baudRate: args.baud } : {}) });
    } else if (args.connect) {
      link = await openTcpLink(args.connect.host, args.connect.port);
      io.err(`simulator for ${driver.manifest.id} connected to ${args.connect.host}:${args.connect.port}`);
    } else {
      const listener = await listenTcpLink(args.tcp ?? 0);
      closeListener = () => listener.close();
      io.err(`simulator for ${driver.manifest.id} listening on 127.0.0.1:${listener.port}`);
      link = await listener.accept();
    }
  } catch (e) {
    throw commandFailureOf(e, { code: 'TRANSPORT_OPEN_FAILED' });
  }
  io.err(`simulating ${driver.manifest.name}, scenario "${scenario}"${args.speed ? ` at ${args.speed}x speed` : ''}`);
  try {
    await playSimulation(simulation, link, {
      clock: scaledClock(args.speed ?? 1),
      signal: stop,
      stayConnected: !args.exit,
      onFinished: () => {
        io.err('scenario finished');
        httpServer?.finished();
        if (!args.exit) io.err('the simulated device stays connected (Ctrl-C to stop)');
      },
    });
  } finally {
    await link.close().catch(() => undefined);
    await closeListener();
  }
  return 0;
}
