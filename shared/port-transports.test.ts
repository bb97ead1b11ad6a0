import { describe, expect, it } from 'vitest';
import { PORT_TRANSPORTS, driverFitsPort, type DriverTransport } from './port-transports.ts';

const SERIAL: DriverTransport = { type: 'serial' };
const HID: DriverTransport = { type: 'hid' };
const HTTP: DriverTransport = { type: 'http' };
const CONNECTS: DriverTransport = { type: 'tcp', role: 'connect' };
const CALLS_IN: DriverTransport = { type: 'tcp', role: 'listen' };
const EITHER: DriverTransport = { type: 'tcp', role: 'both' };

describe('driverFitsPort', () => {
  it('reads each kind of driver only on the ports that reach its device', () => {
    const table = Object.fromEntries(
      PORT_TRANSPORTS.map((port) => [port, [SERIAL, HID, HTTP, CONNECTS, CALLS_IN, EITHER].map((d) => (driverFitsPort(port, d) ? 1 : 0)).join('')]),
    );
    // Columns: serial, hid, http, tcp connect, tcp listen, tcp both.
    expect(table).toEqual({
      serial: '100000',
      hid: '010000',
      http: '001000',
      // A serial driver through a serial-to-Ethernet box, or a network device the hub connects to.
      tcp: '100101',
      // Only devices that connect to the hub.
      listen: '000011',
    });
  });
});
