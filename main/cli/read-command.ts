import { z } from 'zod';
import { requireDriver } from '../../drivers/index.ts';
import { linkKinds, systemClock, runSession, transportFor, DEFAULT_CLOCK_SKEW_THRESHOLD_MS, type Driver, type Link, type TransportKind } from '../../drivers/kit/index.ts';
import { recordToFile } from '../devices/trace/record-to-file.ts';
import { defaultDataDir, storeFile } from '../paths.ts';
import { openStore } from '../store/index.ts';
import { openLink, type LinkSpec } from '../transports/index.ts';
import { HidArgSchema, ListenArgSchema, PositiveInt, PositiveSeconds, TcpArgSchema, UsbArgSchema, parseArgs } from './args.ts';
import { OptionArgsSchema, describeOptions, parseDriverOptions } from './driver-option-args.ts';
import type { Io } from './io.ts';
import { bugLine, isBug } from '../bug-report.ts';
import { commandFailure, commandFailureOf, errorLine, formatReading, isDroppedInput, problemSummary } from './output.ts';
import { ProgressBar, formatDuration } from './progress.ts';
import { readListening } from './read-listen.ts';

const ReadArgs = z
  .object({
    driver: z.string().min(1),
    port: z.string().min(1).optional(),
    baud: PositiveInt('--baud').optional(),
    hid: HidArgSchema.optional(),
    usb: UsbArgSchema.optional(),
    tcp: TcpArgSchema.optional(),
    url: z.string().min(1).optional(),
    listen: ListenArgSchema.optional(),
    folder: z.string().min(1).optional(),
    timeout: PositiveSeconds('--timeout').optional(),
    record: z.string().min(1).optional(),
    data: z.string().min(1).optional(),
    all: z.boolean().optional(),
    json: z.boolean().optional(),
    setClock: z.boolean().optional(),
    option: OptionArgsSchema,
    command: z.array(z.string().min(1).max(60)).optional(),
  })
  .refine((a) => [a.port, a.hid, a.usb, a.tcp, a.url, a.listen, a.folder].filter((x) => x !== undefined).length === 1, { message: 'give exactly one of --port, --hid, --usb, --tcp, --url, --listen or --folder', path: ['port'] });
type ReadArgs = z.output<typeof ReadArgs>;

const hex4 = (n: number | undefined): string => (n ?? 0).toString(16).padStart(4, '0');

/** The option that names a link of each kind, for the error that says which to use. */
const LINK_FLAGS: Readonly<Record<TransportKind, string>> = { serial: '--port or --tcp', hid: '--hid', usb: '--usb', http: '--url', folder: '--folder', tcp: '--tcp' };

/**
 * The link the options name, checked against the kinds of link the driver takes (its manifest's
 * `transport` and `otherTransports`); a driver with several takes any of them, with that kind's spec.
 */
function linkSpec(driver: Driver, args: ReadArgs): { spec: LinkSpec; description: string } {
  const m = driver.manifest;
  const id = m.id;
  const kinds = linkKinds(m);
  const use = [...new Set(kinds.map((k) => LINK_FLAGS[k]))].join(' or ');
  const folder = transportFor(m, 'folder');
  if (args.folder || (folder && kinds.length === 1)) {
    if (!folder || !args.folder) throw commandFailure('INPUT_INVALID', folder ? `driver ${id} reads a report file on the meter's mounted disk: use --folder <mounted folder>` : `driver ${id} does not read report files: use ${use}`);
    return { spec: { type: 'folder', path: args.folder, pattern: folder.pattern }, description: `folder ${args.folder}` };
  }
  const http = transportFor(m, 'http');
  if (args.url || (http && kinds.length === 1)) {
    if (!http || !args.url) throw commandFailure('INPUT_INVALID', http ? `driver ${id} reads a local web service: use --url (e.g. --url ${http.url})` : `driver ${id} does not talk HTTP: use ${use}`);
    return { spec: { type: 'http', url: args.url }, description: `http ${args.url}` };
  }
  const usb = transportFor(m, 'usb');
  if (args.usb || (usb && kinds.length === 1)) {
    if (!usb || !args.usb) {
      throw commandFailure('INPUT_INVALID', usb ? `driver ${id} is a USB bulk device (not serial, not HID): use --usb <vid:pid> or --usb <bus path> (see: pochub drivers)` : `driver ${id} is not read over USB bulk endpoints: use ${use}`);
    }
    const where = args.usb.busPath ?? `${hex4(args.usb.vendorId)}:${hex4(args.usb.productId)}`;
    return { spec: { type: 'usb', ...args.usb }, description: `usb ${where}` };
  }
  if (args.hid) {
    const hid = transportFor(m, 'hid');
    if (!hid) throw commandFailure('INPUT_INVALID', `driver ${id} talks serial: use ${use}`);
    return { spec: { type: 'hid', ...args.hid, reportSize: hid.reportSize, ...(hid.numberedByDriver ? { numberedByDriver: true } : {}) }, description: `hid ${args.hid.path ?? `${args.hid.vendorId?.toString(16)}:${args.hid.productId?.toString(16)}`}` };
  }
  const serial = transportFor(m, 'serial');
  const tcp = transportFor(m, 'tcp');
  if (tcp && !serial) {
    if (!args.tcp) throw commandFailure('INPUT_INVALID', `driver ${id} is a network device: use --tcp <host:${tcp.defaultPort}> or --listen <host:port>`);
    return { spec: { type: 'tcp', host: args.tcp.host, port: args.tcp.port }, description: `tcp ${args.tcp.host}:${args.tcp.port}` };
  }
  if (!serial) throw commandFailure('INPUT_INVALID', `driver ${id} talks HID: use --hid`);
  if (args.tcp) return { spec: { type: 'tcp', host: args.tcp.host, port: args.tcp.port }, description: `tcp ${args.tcp.host}:${args.tcp.port}` };
  const settings = { ...serial.serial, ...(args.baud ? { baudRate: args.baud } : {}) };
  const frame = `${settings.dataBits}${settings.parity[0]?.toUpperCase()}${settings.stopBits}`;
  const dtr = serial.dtr === undefined ? {} : { dtr: serial.dtr };
  return { spec: { type: 'serial', path: args.port ?? '', settings, ...dtr }, description: `serial ${args.port} ${settings.baudRate} ${frame}${serial.dtr === false ? ' DTR low' : ''}` };
}

/** `--command` ids checked against the manifest before any port is opened (INPUT_INVALID naming the ones there are). */
function checkCommands(driver: Driver, ids: readonly string[] | undefined): string[] {
  const known = driver.manifest.commands ?? [];
  for (const id of ids ?? []) {
    if (!known.some((c) => c.id === id)) {
      const there = known.length > 0 ? `it has: ${known.map((c) => c.id).join(', ')}` : 'it accepts no commands';
      throw commandFailure('INPUT_INVALID', `--command ${id}: driver ${driver.manifest.id} has no such command (${there})`);
    }
  }
  return [...(ids ?? [])];
}

/**
 * `pochub read`: open a real device, acquire, store every reading as it arrives (so nothing
 * received is lost when the device goes away), and print the ones not stored before.
 * Exit 0 when a reading was printed, 3 when none arrived.
 */
export async function readCommand(raw: Record<string, unknown>, io: Io, stop: AbortSignal): Promise<number> {
  const args = parseArgs(ReadArgs, raw);
  const driver = requireDriver(args.driver);
  const tcpRole = transportFor(driver.manifest, 'tcp') !== undefined || transportFor(driver.manifest, 'serial')?.role === 'both';
  if (args.listen && !tcpRole) throw commandFailure('INPUT_INVALID', `driver ${driver.manifest.id} does not connect to the hub: --listen is for network devices`);
  // Checked before the port is opened or the store touched: a typo costs nothing.
  const options = parseDriverOptions(driver.manifest, args.option);
  const commands = checkCommands(driver, args.command);
  if (args.listen) {
    const store = openStore(storeFile(args.data ?? defaultDataDir()));
    try {
      store.assertRoomToStore();
      const listen = { driver, options, store, host: args.listen.host, port: args.listen.port, json: Boolean(args.json), all: Boolean(args.all) };
      return await readListening(args.timeout ? { ...listen, timeout: args.timeout } : listen, io, stop);
    } finally {
      store.close();
    }
  }
  const { spec, description } = linkSpec(driver, args);
  const store = openStore(storeFile(args.data ?? defaultDataDir()));
  // A full disk is said before the device is opened, so a meter is not downloaded for nothing.
  try {
    store.assertRoomToStore();
  } catch (e) {
    store.close();
    throw e;
  }
  let link: Link;
  try {
    link = await openLink(spec);
  } catch (e) {
    store.close();
    throw commandFailureOf(e, { code: 'TRANSPORT_OPEN_FAILED' });
  }
  if (args.record) {
    const file = args.record;
    link = recordToFile(link, file, { driver: driver.manifest.id, transport: description.replace(/^serial \S+/, 'serial').replace(/^usb \S+$/, 'usb') }, (e) =>
      io.err(`warning: recording to ${file} stopped: ${errorLine(e)}; the readings are still stored, the trace ends early`),
    );
  }

  const sessionId = store.sessions.beginSession({ driverId: driver.manifest.id, transport: description });
  io.err(`reading ${driver.manifest.name} on ${description}${args.timeout ? ` for ${args.timeout} s` : ''} (Ctrl-C to stop)`);
  if (Object.keys(options).length > 0) io.err(`options: ${describeOptions(driver.manifest, options)}`);
  const controller = new AbortController();
  const onStop = (): void => controller.abort();
  stop.addEventListener('abort', onStop, { once: true });
  const timer = args.timeout ? setTimeout(onStop, args.timeout * 1000) : undefined;
  let printed = 0;
  let known = 0;
  let fresh = 0;
  const warned = new Set<string>();
  const bar = new ProgressBar(io, (text) => io.errRaw?.(text));
  /** Lines on stderr must not be drawn over the progress bar. */
  const say = (line: string): void => {
    bar.clear();
    io.err(line);
  };
  let result;
  try {
    result = await runSession({
      driver,
      link,
      clock: systemClock,
      signal: controller.signal,
      setDeviceClock: Boolean(args.setClock),
      options,
      commands,
      onEvent: (event) => {
        if (event.type === 'progress') {
          bar.update(event.done, event.total);
        } else if (event.type === 'device-clock') {
          if (Math.abs(event.skewMs) > DEFAULT_CLOCK_SKEW_THRESHOLD_MS) {
            const how = `${formatDuration(event.skewMs)} ${event.skewMs > 0 ? 'behind' : 'ahead of'} this workstation`;
            const offer = event.canSet ? (args.setClock ? '; setting it after the download' : '; run again with --set-clock to set it') : '; set it on the device';
            say(`warning: the device clock reads ${event.deviceTime.replace('T', ' ')}, ${how}. Readings are corrected and flagged clock-skew${offer}.`);
          }
        } else if (event.type === 'reading') {
          const at = event.reading.receivedAt;
          const { isNew } = store.readings.ingest(event.reading, event.raw.map((bytes) => ({ direction: 'in' as const, bytes, at })), sessionId);
          if (isNew) fresh++;
          else known++;
          if (isNew || args.all) {
            bar.clear();
            io.out(formatReading(event.reading, Boolean(args.json)));
            printed++;
          }
        } else if (event.type === 'problem' && event.code === 'DEVICE_ERROR') {
          say(`device error: ${event.message}`);
        } else if (event.type === 'problem' && !warned.has(event.code)) {
          // Say at once that input is being skipped (a long read may run for hours); the rest are counted.
          warned.add(event.code);
          // Noise, a bad checksum or a cut frame is input thrown away; any other problem's message
          // says itself what became of the record (a driver may keep it, flagged).
          say(`warning: ${event.message}${isDroppedInput(event.code) ? ' — skipped' : ''}; more of these are counted and summed up at the end`);
        }
      },
    });
  } finally {
    bar.clear();
    clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
    await link.close().catch(() => undefined);
  }
  const reason = result.error ? (result.error.code === 'TRANSPORT_CLOSED' ? 'disconnected' : 'failed') : result.end === 'aborted' ? 'cancelled' : 'completed';
  try {
    store.sessions.endSession(sessionId, { reason, ...(result.error ? { errorCode: result.error.code, errorMessage: result.error.message } : {}) });
  } catch (e) {
    // The disk filled up during the session: its error (below) says so; the session row stays open.
    io.err(`warning: could not record the end of the session: ${errorLine(e)}`);
  }
  store.close();

  const summary = problemSummary(result.problems);
  if (summary) io.err(summary);
  for (const c of result.commands ?? []) io.err(`command ${c.id}: ${c.accepted ? 'accepted' : 'not accepted'} — device replied ${c.reply}`);
  if (driver.manifest.kind === 'download' && fresh + known > 0) io.err(`${fresh + known} reading(s) downloaded: ${fresh} new, ${known} already in the store`);
  if (known > 0 && !args.all) io.err(`${known} reading(s) were already in the store and are not shown again (use --all)`);
  if (result.deviceClock?.set) io.err('the device clock was set to this workstation\'s time');
  if (result.error && isBug(result.error)) io.err(bugLine(`the ${driver.manifest.id} session`, result.error));
  if (result.error) throw commandFailureOf(result.error, { message: `${errorLine(result.error)}${fresh + known > 0 ? ` (${fresh + known} reading(s) received before that are stored)` : ''}` });
  if (printed === 0) {
    if (known === 0) {
      io.err('no readings arrived.');
      const noisy = Object.values(result.problems).some((n) => (n ?? 0) > 0);
      const hints = noisy ? ['data arrived but could not be read: is the baud rate right?', ...driver.manifest.hints] : driver.manifest.hints;
      for (const hint of hints) io.err(`hint: ${hint}`);
    }
    return 3;
  }
  return 0;
}
