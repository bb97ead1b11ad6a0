import { describe, expect, it } from 'vitest';
import { PORT_TRANSPORTS, driverFitsPort, driverTakesPort, driverTransportsWords, folderPathProblem, type DriverTransport } from './port-transports.ts';

const SERIAL: DriverTransport = { type: 'serial' };
const HID: DriverTransport = { type: 'hid' };
const HTTP: DriverTransport = { type: 'http' };
const USB: DriverTransport = { type: 'usb' };
const FOLDER: DriverTransport = { type: 'folder' };
const CONNECTS: DriverTransport = { type: 'tcp', role: 'connect' };
const CALLS_IN: DriverTransport = { type: 'tcp', role: 'listen' };
const EITHER: DriverTransport = { type: 'tcp', role: 'both' };
/** A serial device that also speaks its protocol over TCP either way (ASTM analyzers). */
const SERIAL_OR_NET: DriverTransport = { type: 'serial', role: 'both' };

describe('driverFitsPort', () => {
  it('reads each kind of driver only on the ports that reach its device', () => {
    const table = Object.fromEntries(
      PORT_TRANSPORTS.map((port) => [port, [SERIAL, HID, HTTP, CONNECTS, CALLS_IN, EITHER, SERIAL_OR_NET, USB, FOLDER].map((d) => (driverFitsPort(port, d) ? 1 : 0)).join('')]),
    );
    // Columns: serial, hid, http, tcp connect, tcp listen, tcp both, serial or network, usb bulk, report folder.
    expect(table).toEqual({
      serial: '100000100',
      hid: '010000000',
      http: '001000000',
      // A serial driver through a serial-to-Ethernet box, or a network device the hub connects to.
      tcp: '100101100',
      // Only devices that connect to the hub.
      listen: '000011100',
      // A USB bulk driver (the Accu-Chek) only on a USB device, and nothing else there.
      usb: '000000010',
      // A report-file driver (the Accu-Chek Mobile) only on a meter's folder, and nothing else there.
      folder: '000000001',
    });
  });
});

describe('folderPathProblem', () => {
  it('accepts absolute POSIX, Windows drive and UNC paths', () => {
    for (const path of ['/media/ACCU-CHEK', '/', '/Volumes/ACCU CHEK/Reports', 'E:\\', 'e:/Reports', '\\\\server\\share\\meter']) expect(folderPathProblem(path)).toBeUndefined();
  });

  it('refuses a relative path, a bare drive letter and a NUL, saying why', () => {
    expect(folderPathProblem('media/ACCU-CHEK')).toMatch(/not an absolute folder path/);
    expect(folderPathProblem('./Reports')).toMatch(/not an absolute folder path/);
    expect(folderPathProblem('E:')).toMatch(/not an absolute folder path/);
    expect(folderPathProblem('~/meter')).toMatch(/not an absolute folder path/);
    expect(folderPathProblem('/media/A\u0000B')).toMatch(/NUL/);
  });
});

describe('driverTakesPort (a driver with several links)', () => {
  it('fits a port when any of its links does, and says every link in words', () => {
    const caresens = [HID, SERIAL];
    expect(PORT_TRANSPORTS.filter((port) => driverTakesPort(port, caresens))).toEqual(['serial', 'hid', 'tcp']);
    expect(driverTransportsWords(caresens)).toBe('a USB HID device or a serial device');
    expect(driverTransportsWords([SERIAL])).toBe('a serial device');
  });
});
