import type { Port, PortSettings, TraceEntry } from '../../shared/api/ports-model.ts';

/** The biomed console's words: every state and badge has text, so nothing is said by colour alone. */

export const PORT_STATE_TEXT: Readonly<Record<Port['state'], string>> = {
  absent: 'Not plugged in',
  idle: 'Not connected',
  connecting: 'Connecting…',
  connected: 'Connected',
  error: 'Error',
  simulator: 'Used by a simulator',
};

/** The kind of match in a few words; the hub's own sentence follows it. */
export const MATCH_TEXT: Readonly<Record<Port['match']['kind'], string>> = {
  one: 'Matched',
  several: 'Several fit — choose one',
  'unknown-adapter': 'Unknown adapter',
  unsupported: 'Unsupported device',
  none: 'No USB ids',
};

/** A symbol beside the match text (decorative: the words carry the meaning). */
export const MATCH_SYMBOL: Readonly<Record<Port['match']['kind'], string>> = { one: '✓', several: '?', 'unknown-adapter': '?', unsupported: '⚠', none: '·' };

export const TRANSPORT_TEXT: Readonly<Record<Port['transport'], string>> = {
  serial: 'Serial',
  hid: 'USB HID',
  tcp: 'Network (TCP, the hub connects)',
  listen: 'Network (TCP, devices connect to the hub)',
  http: 'Local web service (HTTP)',
  usb: 'USB (bulk, through libusb)',
  folder: 'Meter folder (report files on its disk)',
};

/**
 * The port's state in words. A meter's folder has no lasting connection — each Read now reads the
 * newest report and ends — so while the folder is there the meter counts as connected.
 */
export function portStateText(port: Pick<Port, 'transport' | 'state' | 'present'>): string {
  if (port.transport === 'listen' && port.state === 'connected') return 'Listening';
  if (port.transport === 'folder') {
    if (port.state === 'connected') return 'Reading…';
    if (port.state === 'absent') return 'Folder not found';
    if (port.state === 'idle' && port.present) return 'Connected (folder found)';
  }
  return PORT_STATE_TEXT[port.state];
}

/** Direction with words beside the arrow: `in` is what the device sent to the host. */
export const DIRECTION_TEXT: Readonly<Record<TraceEntry['direction'], { arrow: string; words: string; long: string }>> = {
  in: { arrow: '→', words: 'to host', long: 'Received from the device' },
  out: { arrow: '←', words: 'to device', long: 'Sent to the device' },
};

type FrameKind = NonNullable<TraceEntry['frame']>['kind'];
export const FRAME_TEXT: Readonly<Record<FrameKind, string>> = {
  'stx-etx': 'STX…ETX frame',
  astm: 'ASTM frame',
  line: 'Line',
  mllp: 'HL7 message (MLLP)',
  enq: 'ENQ (wants to send)',
  ack: 'ACK (accepted)',
  nak: 'NAK (refused)',
  eot: 'EOT (end)',
  'hid-report': 'HID report',
  http: 'HTTP response',
  packet: 'Binary packet',
  other: 'Other',
};

type Checksum = NonNullable<TraceEntry['frame']>['checksum'];
export const CHECKSUM_TEXT: Readonly<Record<Checksum, string>> = { good: '✓ Checksum good', bad: '✗ Checksum bad', none: 'No checksum' };

export const PARITY_TEXT: Readonly<Record<PortSettings['parity'], string>> = { none: 'None', even: 'Even', odd: 'Odd', mark: 'Mark', space: 'Space' };
export const FLOW_TEXT: Readonly<Record<PortSettings['flowControl'], string>> = { none: 'None', xonxoff: 'XON/XOFF (software)', rtscts: 'RTS/CTS (hardware)' };

/** Line settings in the short form on equipment labels: `9600 8-N-1`. */
export function settingsText(s: PortSettings): string {
  return `${s.baudRate} ${s.dataBits}-${s.parity[0]?.toUpperCase() ?? '?'}-${s.stopBits}${s.flowControl === 'none' ? '' : `, ${FLOW_TEXT[s.flowControl]}`}`;
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** USB ids as printed by lsusb (`067b:2303`), with what the device says it is. */
export function usbText(usb: NonNullable<Port['usb']>): string {
  const names = [usb.manufacturer, usb.product].filter((s) => s !== undefined && s !== '').join(' ');
  return `${hex4(usb.vendorId)}:${hex4(usb.productId)}${names ? ` ${names}` : ''}${usb.serialNumber ? ` (serial ${usb.serialNumber})` : ''}`;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A trace time to the millisecond, in the workstation's zone: bytes come faster than seconds. */
export function traceTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** `1 frame`, `12 frames`. */
export function countText(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Beside a setting: whether it is the driver's default, or what the driver's default is. */
export function defaultNote(changed: boolean, driverValue: string, fromCentral = false): string {
  if (fromCentral) return changed ? `Changed (central configuration: ${driverValue})` : 'From central configuration';
  return changed ? `Changed (driver: ${driverValue})` : 'Driver default';
}
