/**
 * The kinds of port a workstation has, and which drivers can be read on which
 * (docs/architecture.md §6). Shared so the hub refuses an assignment and the Devices screen offers
 * only the drivers that fit, by the same rule.
 */
export const PORT_TRANSPORTS = ['serial', 'hid', 'tcp', 'listen', 'http', 'usb', 'folder'] as const;
export type PortTransport = (typeof PORT_TRANSPORTS)[number];

/**
 * Ports a person adds by hand (discovery finds serial ports and HID and USB devices itself). A
 * `folder` port is a meter's mounted volume (or its report folder), named by its absolute path.
 */
export const ADDABLE_TRANSPORTS = ['serial', 'tcp', 'listen', 'http', 'folder'] as const;
export type AddableTransport = (typeof ADDABLE_TRANSPORTS)[number];

/** What the rule needs to know of a driver's manifest transport (drivers/kit/manifest.ts). */
export interface DriverTransport {
  readonly type: 'serial' | 'hid' | 'http' | 'tcp' | 'usb' | 'folder';
  /**
   * TCP drivers: who opens the connection (`both`: the protocol has dialects of each kind).
   * Serial drivers: `both` when the device also speaks over TCP itself, either way.
   */
  readonly role?: 'connect' | 'listen' | 'both';
}

/**
 * Can a driver be read on a port of this kind? A serial driver also runs through a serial-to-
 * Ethernet box (`tcp`, the hub connects to it), and on a `listen` port when its device also
 * connects to the hub by itself (`role: 'both'`, ASTM analyzers); a TCP driver on a `tcp` port when the hub may
 * connect to the device, on a `listen` port when the device may connect to the hub; HID, USB bulk
 * devices (read through libusb, main/transports/usb.ts), the local web service and a meter's
 * mounted report folder (main/transports/folder.ts) only on their own kind.
 */
export function driverFitsPort(port: PortTransport, driver: DriverTransport): boolean {
  switch (port) {
    case 'serial':
      return driver.type === 'serial';
    case 'hid':
      return driver.type === 'hid';
    case 'http':
      return driver.type === 'http';
    case 'usb':
      return driver.type === 'usb';
    case 'folder':
      return driver.type === 'folder';
    case 'tcp':
      return driver.type === 'serial' || (driver.type === 'tcp' && driver.role !== 'listen');
    case 'listen':
      return (driver.type === 'tcp' && driver.role !== 'connect') || (driver.type === 'serial' && driver.role === 'both');
    default:
      return port satisfies never;
  }
}

/**
 * Can a driver that takes several links (its manifest's `transport` and `otherTransports`,
 * drivers/kit/manifest.ts `manifestTransports`) be read on a port of this kind? Any of them fits.
 */
export function driverTakesPort(port: PortTransport, transports: readonly DriverTransport[]): boolean {
  return transports.some((t) => driverFitsPort(port, t));
}

/** The port kind in a person's words, for the error that refuses a driver. */
export const TRANSPORT_WORDS: Readonly<Record<PortTransport, string>> = {
  serial: 'a serial port',
  hid: 'a USB HID device',
  tcp: 'a network address the hub connects to',
  listen: 'a port the hub listens on for devices that connect',
  http: 'a local web service',
  usb: 'a USB device read over its own bulk endpoints',
  folder: "a meter's mounted folder of report files",
};

/**
 * What is wrong with `path` as a folder port's path (undefined: nothing)? It must be absolute: POSIX (`/media/…`), a Windows drive (`E:\`,
 * `E:/`) or a UNC share (`\\server\share`). Relative paths are refused because the hub's working
 * folder is not the person's; NUL is refused because no file system accepts it and Node throws
 * on it deep inside fs calls. Pure (no node:path) so the API contract and the form share it.
 */
export function folderPathProblem(path: string): string | undefined {
  if (path.includes('\0')) return 'a folder path cannot contain a NUL character';
  if (/^\//.test(path) || /^[A-Za-z]:[\\/]/.test(path) || /^\\\\[^\\]+\\[^\\]+/.test(path)) return undefined;
  return `"${path}" is not an absolute folder path: write it in full, e.g. /media/ACCU-CHEK or E:\\`;
}

/** A driver with several links in a person's words: "a serial device or a USB HID device". */
export function driverTransportsWords(transports: readonly DriverTransport[]): string {
  return [...new Set(transports.map(driverTransportWords))].join(' or ');
}

/** The driver kind in a person's words. */
export function driverTransportWords(driver: DriverTransport): string {
  switch (driver.type) {
    case 'serial':
      return driver.role === 'both' ? 'a serial or network device' : 'a serial device';
    case 'hid':
      return 'a USB HID device';
    case 'http':
      return 'read through a local web service';
    case 'usb':
      return 'a USB device read over its own bulk endpoints';
    case 'folder':
      return 'a report file on a mounted meter volume';
    case 'tcp':
      return driver.role === 'listen' ? 'a network device that connects to the hub' : driver.role === 'connect' ? 'a network device the hub connects to' : 'a network device';
    default:
      return driver.type satisfies never;
  }
}
