import { access, readdir, readFile, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SerialPort } from 'serialport';
import { HubError } from '../../shared/errors.ts';

/** A serial port the hub could open; USB fields are set only when the OS told us. */
export interface PortInfo {
  /** What to pass to `openSerialLink`, e.g. `/dev/ttyUSB0`. */
  path: string;
  /** USB vendor id, e.g. 0x0403 for FTDI; undefined for built-in ports or when udev is missing. */
  vendorId?: number;
  productId?: number;
  serialNumber?: string;
  manufacturer?: string;
}

/**
 * Ports are always returned, even on failure: a degraded list (no USB ids, so no automatic
 * driver match) still lets biomed staff pick a port by hand.
 */
export type SerialListResult = { ok: true; ports: PortInfo[] } | { ok: false; error: HubError; ports: PortInfo[] };

/** Where the fallback scan looks; only tests change these. */
export interface SerialListOptions {
  devDir?: string;
  sysClassTtyDir?: string;
}

const INSTALL_UDEV_HINT = 'install udev (Debian/Ubuntu: sudo apt-get install udev; Fedora: sudo dnf install systemd-udev)';

/**
 * The names serialport's own Linux lister keeps (bindings-cpp linux-list.ts), so the fallback
 * offers the same kind of ports: real UARTs, USB-serial, CDC-ACM, Bluetooth RFCOMM.
 */
const SERIAL_NAME = /^(tty(S|WCH|ACM|USB|AMA|MFD|O|XRUSB)\d|rfcomm\d)/;

/**
 * List serial ports without ever taking the process down.
 *
 * On Linux serialport's `SerialPort.list()` spawns `udevadm info -e`. Without udevadm on PATH the
 * spawn fails with ENOENT and list() rejects; a caller that does not catch it dies of an unhandled
 * rejection. And if udevadm runs but exits non-zero, list() silently resolves `[]` (it resolves on
 * end of output before it looks at the exit code). So we check for udevadm first, catch any
 * failure, distrust an empty answer the kernel contradicts, and fall back to sysfs.
 */
export async function listSerialPorts(options: SerialListOptions = {}): Promise<SerialListResult> {
  if (process.platform !== 'linux') {
    try {
      return { ok: true, ports: (await SerialPort.list()).map(fromSerialport) };
    } catch (cause) {
      return { ok: false, ports: [], error: new HubError('TRANSPORT_LIST_FAILED', `could not list serial ports: ${message(cause)}`, { cause }) };
    }
  }

  const scan = (): Promise<PortInfo[]> => scanSysfs(options.devDir ?? '/dev', options.sysClassTtyDir ?? '/sys/class/tty');
  if (!(await findOnPath('udevadm'))) {
    return {
      ok: false,
      ports: await scan(),
      error: new HubError(
        'TRANSPORT_LIST_FAILED',
        `udev is missing (no udevadm on PATH), so serial ports were found by scanning /dev and devices cannot be recognised by their USB ids: ${INSTALL_UDEV_HINT}`,
      ),
    };
  }

  let listed: PortInfo[];
  try {
    listed = (await SerialPort.list()).map(fromSerialport);
  } catch (cause) {
    return {
      ok: false,
      ports: await scan(),
      error: new HubError(
        'TRANSPORT_LIST_FAILED',
        `udevadm failed (${message(cause)}), so serial ports were found by scanning /dev and devices cannot be recognised by their USB ids: check that udev works or ${INSTALL_UDEV_HINT}`,
        { cause },
      ),
    };
  }
  if (listed.length === 0) {
    // An empty list is normal on a machine with no serial ports, but serialport also returns []
    // when udevadm exits with an error; the kernel's own view tells the two apart.
    const scanned = await scan();
    if (scanned.length > 0) {
      return {
        ok: false,
        ports: scanned,
        error: new HubError(
          'TRANSPORT_LIST_FAILED',
          `udevadm listed no serial ports although the kernel has ${scanned.length}; showing them without USB ids: check that udev works or ${INSTALL_UDEV_HINT}`,
        ),
      };
    }
  }
  return { ok: true, ports: listed };
}

/** serialport gives USB ids as hex strings ("0403"); the rest of the hub compares numbers. */
function fromSerialport(port: { path: string; vendorId?: string; productId?: string; serialNumber?: string; manufacturer?: string }): PortInfo {
  const info: PortInfo = { path: port.path };
  const vendorId = parseHexId(port.vendorId);
  const productId = parseHexId(port.productId);
  if (vendorId !== undefined) info.vendorId = vendorId;
  if (productId !== undefined) info.productId = productId;
  if (port.serialNumber) info.serialNumber = port.serialNumber;
  if (port.manufacturer) info.manufacturer = port.manufacturer;
  return info;
}

function parseHexId(text: string | undefined): number | undefined {
  if (!text || !/^(0x)?[0-9a-f]{1,4}$/i.test(text)) return undefined;
  return Number.parseInt(text.replace(/^0x/i, ''), 16);
}

/** True when `name` resolves on PATH to an executable file, i.e. when spawn(name) can start it. */
async function findOnPath(name: string): Promise<boolean> {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      if ((await stat(candidate)).isFile()) return true;
    } catch {
      // not here; try the next directory
    }
  }
  return false;
}

/**
 * The ports the kernel knows about without udev: /dev entries whose /sys/class/tty/<name> has a
 * `device` link (virtual consoles and ptys have none). An 8250 slot with no UART behind it
 * (`type` 0, PORT_UNKNOWN) is skipped: the kernel always creates ttyS0..3 whether or not they exist.
 */
export async function scanSysfs(devDir: string, sysClassTtyDir: string): Promise<PortInfo[]> {
  let names: string[];
  try {
    names = await readdir(devDir);
  } catch {
    return [];
  }
  const ports: PortInfo[] = [];
  for (const name of names.filter((n) => SERIAL_NAME.test(n)).sort(byNumber)) {
    const sys = join(sysClassTtyDir, name);
    try {
      await access(join(sys, 'device'));
    } catch {
      continue;
    }
    const type = await readFile(join(sys, 'type'), 'utf8').catch(() => undefined);
    if (type?.trim() === '0') continue;
    ports.push({ path: join(devDir, name) });
  }
  return ports;
}

/** ttyS2 before ttyS10, as people count. */
function byNumber(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function message(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
