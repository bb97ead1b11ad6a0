import { Command, CommanderError } from 'commander';
import { auditVerifyCommand } from './cli/audit-command.ts';
import { configExportCommand, configImportCommand } from './cli/config-command.ts';
import { configFollowCommand, configSignCommand, configUnfollowCommand } from './cli/config-follow-command.ts';
import { driversCommand } from './cli/drivers-command.ts';
import { processIo, type Io } from './cli/io.ts';
import {
  exportRequeueCommand,
  exportBackfillCommand,
  exportRetryCommand,
  exportRunCommand,
  exportSetTargetCommand,
  exportStatusCommand,
  exportTargetsCommand,
  exportTestCommand,
  readStdinLine,
} from './cli/export-command.ts';
import { operatorsAddCommand, operatorsListCommand } from './cli/operators-command.ts';
import { registerPatientsCommands } from './cli/patients-command.ts';
import { exitCodeOf } from './cli/output.ts';
import { readCommand } from './cli/read-command.ts';
import { replayCommand } from './cli/replay-command.ts';
import { serveCommand } from './cli/serve-command.ts';
import { simulateCommand } from './cli/simulate-command.ts';
import { collectOption } from './cli/driver-option-args.ts';
import { describeBug } from './bug-report.ts';

/** The `pochub` command line (docs/architecture.md §11). Returns the exit code. */
export async function main(argv: readonly string[], io: Io = processIo, stop: AbortSignal = new AbortController().signal): Promise<number> {
  let exitCode = 0;
  const program = new Command('pochub')
    .description('POC Hub: read point-of-care devices (vital signs, glucose, urine) and turn their output into coded readings.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(add --help for usage)');

  program
    .command('drivers')
    .description('list the registered drivers: id, name, category, kind, transport, USB ids, options')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => driversCommand(opts, io.out));

  program
    .command('replay')
    .description('run a driver against a recorded trace (docs/trace-format.md §3) and print its readings')
    .requiredOption('--driver <id>', 'driver id (see: pochub drivers)')
    .requiredOption('--trace <file>', 'trace file')
    .option('--json', 'one reading per line (NDJSON)')
    .option('--loose', 'ignore driver writes that match no request in the trace')
    .option('--in-order', 'require the trace exchanges to be used in order')
    .option('--idle <seconds>', 'end of stream after this long without a driver write (default 1)')
    .option('--option <key=value>', "a driver option (see: pochub drivers); repeatable; checked against the driver's options", collectOption)
    .action(async (opts: Record<string, unknown>) => {
      exitCode = await replayCommand(opts, io);
    });

  program
    .command('read')
    .description('open a device, acquire readings, store them and print the new ones (exit 3 when none arrived)')
    .requiredOption('--driver <id>', 'driver id (see: pochub drivers)')
    .option('--port <path>', 'serial port, e.g. /dev/ttyUSB0 or COM3')
    .option('--baud <n>', "baud rate (default: the driver's)")
    .option('--hid <vid:pid|path>', 'HID device by USB ids (hex) or path')
    .option('--usb <vid:pid|bus path>', 'USB device read over its bulk endpoints (Accu-Chek), by USB ids (hex) or bus path (1-4.2)')
    .option('--tcp <host:port>', 'serial-to-Ethernet box, or a network device the hub connects to (mindray-hl7 PDS: <monitor>:4601)')
    .option('--url <http://127.0.0.1:port>', "a device's local web service (loopback only), e.g. the Welch Allyn SDK at http://127.0.0.1:9233")
    .option('--folder <path>', "a meter mounted as a disk (its folder, or its Reports folder): the newest report file is read, e.g. the Accu-Chek Mobile in Reports mode")
    .option('--listen <host:port>', 'wait for devices that connect to the hub (mindray-hl7 PCD-01) and read each until --timeout')
    .option('--timeout <seconds>', 'stop after this long (default: until the device is done or Ctrl-C)')
    .option('--record <trace-file>', 'also write a trace of the session')
    .option('--data <dir>', "the store's folder (default: the hub's own, or $POCHUB_DATA)")
    .option('--all', 'also print readings already in the store')
    .option('--set-clock', "set the device clock to this workstation's time when it is more than 5 minutes off (where the protocol allows)")
    .option('--command <id>', "a device command to send once the device is identified (see: pochub drivers); repeatable", collectOption)
    .option('--option <key=value>', "a driver option (see: pochub drivers); repeatable; checked against the driver's options", collectOption)
    .option('--json', 'one reading per line (NDJSON)')
    .action(async (opts: Record<string, unknown>) => {
      exitCode = await readCommand(opts, io, stop);
    });

  program
    .command('simulate')
    .description("play a driver's device simulator on a serial port / pty or a TCP port")
    .requiredOption('--driver <id>', 'driver id (see: pochub drivers)')
    .option('--port <path>', 'serial port to play the device on (e.g. one end of a socat pty pair)')
    .option('--tcp <port>', 'listen on 127.0.0.1:<port> instead (0: any free port, printed)')
    .option('--http <port>', 'a local-web-service device: serve its HTTP JSON on 127.0.0.1:<port> (0: any free port, printed)')
    .option('--connect <host:port>', 'connect to a hub listening there (devices that connect to the hub, e.g. mindray-hl7 --scenario pcd01)')
    .option('--baud <n>', "baud rate (default: the driver's)")
    .option('--scenario <name>', 'scenario to play (default: the first one)')
    .option('--speed <factor>', 'run the device clock this many times faster (default 1)')
    .option('--exit', 'exit when a finite scenario is done instead of staying connected')
    .option('--option <key=value>', "a driver option (see: pochub drivers); repeatable; checked against the driver's options", collectOption)
    .action(async (opts: Record<string, unknown>) => {
      exitCode = await simulateCommand(opts, io, stop);
    });

  program
    .command('serve')
    .description('the hub with its web UI in browser mode, on 127.0.0.1 only (prints the address to open)')
    .option('--port <n>', 'port to listen on (default 4173; 0: any free port)')
    .option('--data <dir>', "the store's folder (default: the hub's own, or $POCHUB_DATA)")
    .option('--demo', "demo mode: every driver's simulator plays its device, and demo operators can sign in")
    .option('--lock-after <minutes>', 'lock a signed-in screen after this many minutes without activity (default 5; decimals allowed)')
    .option('--metrics <[host:]port>', 'serve Prometheus metrics at http://<host:port>/metrics (a port alone: 127.0.0.1)')
    .action(async (opts: Record<string, unknown>) => {
      exitCode = await serveCommand(opts, io, stop);
    });

  const audit = program.command('audit').description('the audit log of a hub store');
  audit
    .command('verify')
    .description('check the audit log hash chain: exit 0 when intact, 1 naming the first edited or deleted row')
    .option('--data <dir>', "the store's folder (default: the hub's own, or $POCHUB_DATA)")
    .option('--json', 'machine-readable output')
    .action((opts: Record<string, unknown>) => {
      exitCode = auditVerifyCommand(opts, io);
    });

  const operators = program.command('operators').description('the operators who may sign in to the hub');
  operators
    .command('add')
    .description('add an operator; the PIN (4+ digits) is read from standard input, never from the command line')
    .requiredOption('--name <name>', "the operator's name as the hub shows it")
    .requiredOption('--badge <id>', 'badge id (what the badge scanner types)')
    .requiredOption('--role <role>', 'assistant, biomed or admin')
    .option('--data <dir>', "the store's folder (default: the hub's own, or $POCHUB_DATA)")
    .action(async (opts: Record<string, unknown>) => {
      exitCode = await operatorsAddCommand(opts, io);
    });
  operators
    .command('list')
    .description('list the operators (never their PINs)')
    .option('--json', 'machine-readable output')
    .option('--data <dir>', "the store's folder (default: the hub's own, or $POCHUB_DATA)")
    .action((opts: Record<string, unknown>) => {
      exitCode = operatorsListCommand(opts, io);
    });

  const dataOption = ['--data <dir>', "the store's folder (default: the hub's own, or $POCHUB_DATA)"] as const;
  const exp = program.command('export').description('export of confirmed readings to the EHR: the outbox and its targets');
  exp
    .command('status')
    .description('counts per target and state, and the failed and dead rows; exit 1 when a row is dead (needs a person)')
    .option(...dataOption)
    .option('--target <id>', 'only this target')
    .option('--all', 'list every row, not only failed and dead ones')
    .option('--json', 'machine-readable output')
    .action(async (opts: Record<string, unknown>) => {
      exitCode = await exportStatusCommand(opts, io);
    });
  exp
    .command('retry')
    .description('send failed rows now instead of after their back-off')
    .option(...dataOption)
    .option('--target <id>', "all of this target's failed rows")
    .option('--id <n...>', 'these rows (outbox ids, comma-separated or repeated)')
    .action(async (opts: Record<string, unknown>) => {
      exitCode = await exportRetryCommand(opts, io);
    });
  exp
    .command('requeue')
    .description('put dead rows back in the queue after fixing the cause; they are rebuilt with a new control id')
    .option(...dataOption)
    .requiredOption('--id <n...>', 'the rows (outbox ids, comma-separated or repeated)')
    .action(async (opts: Record<string, unknown>) => {
      exitCode = await exportRequeueCommand(opts, io);
    });
  exp
    .command('backfill')
    .description('queue for a target the readings confirmed since a date that it never got (a target added later); each goes once only')
    .option(...dataOption)
    .requiredOption('--target <id>', 'the target')
    .requiredOption('--since <date|time>', 'a date (local midnight) or a time with its offset, e.g. 2026-11-01 or 2026-11-01T08:00:00+01:00')
    .action(async (opts: Record<string, unknown>) => {
      exitCode = await exportBackfillCommand(opts, io);
    });
  exp
    .command('targets')
    .description('list the export targets (never their secrets)')
    .option(...dataOption)
    .option('--json', 'machine-readable output')
    .action(async (opts: Record<string, unknown>) => {
      exitCode = await exportTargetsCommand(opts, io);
    });
  exp
    .command('set-target')
    .description('add or change a target from a JSON file; a bearer token is read from standard input with --secret-stdin')
    .option(...dataOption)
    .requiredOption('--file <target.json>', 'the target (see README: Configuration)')
    .option('--secret-stdin', 'read the bearer token from the first line of standard input')
    .action(async (opts: Record<string, unknown>) => {
      exitCode = await exportSetTargetCommand(opts, io);
    });
  exp
    .command('test')
    .description('check a target answers, without exporting anything')
    .argument('<target-id>')
    .option(...dataOption)
    .action(async (targetId: string, opts: Record<string, unknown>) => {
      exitCode = await exportTestCommand(targetId, opts, io);
    });
  exp
    .command('run')
    .description('run only the export workers in the foreground until Ctrl-C (serve runs them too)')
    .option(...dataOption)
    .action(async (opts: Record<string, unknown>) => {
      exitCode = await exportRunCommand(opts, io, stop);
    });

  registerPatientsCommands(program, { io, stop, readSecret: readStdinLine, exit: (code) => (exitCode = code) });

  const config = program.command('config').description("this workstation's configuration file: ports, drivers, settings, export targets (never secrets)");
  config
    .command('export')
    .description('write the configuration as JSON to standard output or a file')
    .option(...dataOption)
    .option('--out <file>', 'write to this file instead of standard output')
    .action((opts: Record<string, unknown>) => {
      exitCode = configExportCommand(opts, io);
    });
  config
    .command('import')
    .description("apply a configuration file as a whole (it replaces this workstation's port assignments), or refuse it naming the field")
    .requiredOption('--file <file>', 'the configuration file (from: pochub config export)')
    .option(...dataOption)
    .action((opts: Record<string, unknown>) => {
      exitCode = configImportCommand(opts, io);
    });
  config
    .command('follow')
    .description('follow a central configuration: fetch it over HTTPS, check its Ed25519 signature (<url>.sig), apply it; serve re-checks on the interval')
    .option('--url <url>', 'the central file (https; http only to this machine)')
    .option('--key <file>', "IT's Ed25519 public key (PEM), pinned")
    .option('--ca <file>', 'an extra CA certificate (PEM) to trust for the server')
    .option('--interval <seconds>', 'how often serve checks (default 900, at least 30)')
    .option('--status', 'show the subscription and what the last checks found')
    .option('--json', 'with --status: as JSON')
    .option('--now', 'check the followed file once now')
    .option(...dataOption)
    .action(async (opts: Record<string, unknown>) => {
      exitCode = await configFollowCommand(opts, io);
    });
  config
    .command('unfollow')
    .description('stop following the central configuration (what was applied stays)')
    .option(...dataOption)
    .action(async (opts: Record<string, unknown>) => {
      exitCode = await configUnfollowCommand(opts, io);
    });
  config
    .command('sign')
    .description("sign a configuration file with IT's Ed25519 private key: writes the detached signature (base64) to publish as <url>.sig")
    .requiredOption('--key <file>', 'the Ed25519 private key (PEM)')
    .requiredOption('--file <file>', 'the configuration file')
    .option('--out <file>', 'where to write the signature (default <file>.sig)')
    .action((opts: Record<string, unknown>) => {
      exitCode = configSignCommand(opts, io);
    });

  try {
    await program.parseAsync(['node', 'pochub', ...argv]);
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    const expected = exitCodeOf(e);
    if (expected !== undefined) {
      io.err(`pochub: ${e instanceof Error ? e.message : String(e)}`);
      return expected;
    }
    // Not an expected failure: a bug. Say so loudly, with the stack and its causes.
    io.err(`pochub: internal error: ${describeBug(e)}`);
    return 70;
  }
}

const isEntryPoint = process.argv[1] !== undefined && /(?:pochub(?:\.mjs)?|cli\.ts)$/.test(process.argv[1]);
if (isEntryPoint) {
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
  const code = await main(process.argv.slice(2), processIo, controller.signal);
  process.exitCode = code;
  // Serial and HID handles can keep the event loop alive after a session; the command is done.
  setTimeout(() => process.exit(code), 200).unref();
}
