import { SerialPortStream } from '@serialport/stream';
import { HubError } from '../../shared/errors.ts';
import { LinkBase, type Link, type SerialSettings } from '../../drivers/kit/index.ts';
import { hangupSafeBinding } from './serial-binding.ts';

/**
 * Turn our manifest's flow-control choice into serialport's three flags. XON/XOFF is two flags
 * in termios (IXON: obey the device's XOFF, IXOFF: send XOFF ourselves); devices that speak it
 * expect both, so we set both.
 */
function flowControlOptions(flow: SerialSettings['flowControl']): { rtscts: boolean; xon: boolean; xoff: boolean } {
  switch (flow) {
    case 'none':
      return { rtscts: false, xon: false, xoff: false };
    case 'xonxoff':
      return { rtscts: false, xon: true, xoff: true };
    case 'rtscts':
      return { rtscts: true, xon: false, xoff: false };
    default:
      return flow satisfies never;
  }
}

/**
 * serialport's Unix binding has no mark/space parity and no 1.5 stop bits; it would fail the
 * open with "Invalid parity setting 3". Say so in words a biomed technician can act on.
 */
function unsupportedSetting(settings: SerialSettings): string | undefined {
  if (process.platform === 'win32') return undefined;
  if (settings.parity === 'mark' || settings.parity === 'space') {
    return `${settings.parity} parity is not supported on this system (serialport offers it on Windows only)`;
  }
  if (settings.stopBits === 1.5) return '1.5 stop bits are not supported on this system (serialport offers them on Windows only)';
  return undefined;
}

/**
 * The serialport bindings report open failures as plain `Error`s whose message carries the
 * strerror text ("No such file or directory, cannot open /dev/ttyX"), with no `code`; so we match
 * the words. Each case gets a message a nurse or biomed technician can act on.
 */
export function serialOpenError(path: string, cause: unknown): HubError {
  const text = cause instanceof Error ? cause.message : String(cause);
  if (/no such file or directory|ENOENT/i.test(text)) {
    return new HubError('TRANSPORT_NOT_FOUND', `serial port ${path} does not exist (is the cable plugged in?)`, { cause });
  }
  if (/permission denied|EACCES|operation not permitted|EPERM/i.test(text)) {
    return new HubError(
      'TRANSPORT_ACCESS_DENIED',
      `no permission to open serial port ${path}: add the user to the dialout group (sudo usermod -aG dialout $USER), then log out and back in`,
      { cause },
    );
  }
  // serialport takes an exclusive lock by default; a second program holding the port fails here.
  if (/cannot lock port|resource temporarily unavailable|EAGAIN|EBUSY|busy/i.test(text)) {
    return new HubError('TRANSPORT_ACCESS_DENIED', `serial port ${path} is in use by another program: close that program and try again`, { cause });
  }
  if (/inappropriate ioctl/i.test(text)) {
    return new HubError('TRANSPORT_OPEN_FAILED', `${path} is not a serial port`, { cause });
  }
  return new HubError('TRANSPORT_OPEN_FAILED', `could not open serial port ${path}: ${text}`, { cause });
}

/** The part of a serial port that sets modem control lines (serialport's `set`). */
export interface ModemLinePort {
  set(options: { dtr: boolean }, callback: (error: Error | null) => void): void;
}

/**
 * Hold DTR at the level the driver's settings ask for, right after the open. A pty (socat, the
 * simulators) or an adapter without modem lines refuses the ioctl ("Inappropriate ioctl for
 * device"): there is no line to hold, so the port is used as it is. Any other failure means the
 * line could not be set on a real port, and a device that reads DTR as a mode switch would then be
 * talked to in the wrong mode: the open fails with words a technician can act on.
 *
 * @returns `set`, or `no-modem-lines` when the port has none.
 */
export function holdDtr(port: ModemLinePort, level: boolean, path: string): Promise<'set' | 'no-modem-lines'> {
  return new Promise((resolve, reject) => {
    port.set({ dtr: level }, (error) => {
      if (!error) return resolve('set');
      if (/inappropriate ioctl|ENOTTY|ENOTSUP|not supported/i.test(error.message)) return resolve('no-modem-lines');
      reject(new HubError('TRANSPORT_OPEN_FAILED', `could not set DTR ${level ? 'high' : 'low'} on ${path}: ${error.message} (check the USB-serial adapter)`, { cause: error }));
    });
  });
}

/** A byte-stream Link over a native serial port (or a pty that looks like one). */
class SerialLink extends LinkBase {
  readonly mode = 'bytes' as const;
  /** Set while our own close() runs, so the port's 'close' event is not taken for an unplug. */
  private closing = false;

  constructor(
    private readonly port: SerialPortStream,
    private readonly path: string,
  ) {
    super();
    port.on('data', (chunk: Buffer) => this.deliver(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    // serialport closes the port itself on a read/write failure (pty peer gone, USB unplugged) and
    // emits 'close' with a DisconnectedError; a plain 'close' we did not ask for means the same.
    port.on('close', (error?: Error | null) => {
      if (this.closing && !error) return;
      this.ended(this.disconnected(error ?? undefined));
    });
    // Any other I/O error leaves the port unusable for the driver; end the link and release the fd.
    port.on('error', (error: Error) => {
      this.ended(this.disconnected(error));
      if (port.isOpen) port.close(() => undefined);
    });
  }

  private disconnected(cause: Error | undefined): HubError {
    const why = cause ? cause.message : 'the port closed';
    return new HubError('TRANSPORT_CLOSED', `the device was disconnected (${this.path}: ${why})`, { cause });
  }

  protected send(data: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      const fail = (error: Error): void => reject(this.disconnected(error));
      // write() queues in the stream; drain() resolves once every queued write has reached the OS
      // and tcdrain says it left the UART, so a driver's "send, then start the reply deadline"
      // measures from when the device could actually see the bytes.
      this.port.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength), (error) => {
        if (error) fail(error);
      });
      this.port.drain((error) => (error ? fail(error) : resolve()));
    });
  }

  protected shutdown(): Promise<void> {
    this.closing = true;
    if (!this.port.isOpen) return Promise.resolve();
    return new Promise((resolve) => {
      // A failed close (the fd is already gone) still leaves the link closed; nothing to report.
      this.port.close(() => resolve());
    });
  }
}

/**
 * Open a serial port as a bytes-mode Link.
 *
 * Rejects with a HubError: TRANSPORT_NOT_FOUND (no such path), TRANSPORT_ACCESS_DENIED (no
 * permission, or another program holds the port), TRANSPORT_OPEN_FAILED (anything else).
 * Once open, an unplug ends the link with TRANSPORT_CLOSED; `close()` ends it without error.
 *
 * @param path device path, e.g. `/dev/ttyUSB0` or `COM3`
 * @param settings line settings from the driver manifest (possibly overridden per port)
 * @param lines modem lines to hold once open (the manifest's `transport.dtr`); a port without
 *   modem lines (a pty) is used as it is, a real port that refuses fails the open
 */
export async function openSerialLink(path: string, settings: SerialSettings, lines: { dtr?: boolean } = {}): Promise<Link> {
  const unsupported = unsupportedSetting(settings);
  if (unsupported) throw new HubError('TRANSPORT_OPEN_FAILED', `cannot open ${path}: ${unsupported}`);
  const options = {
    path,
    baudRate: settings.baudRate,
    dataBits: settings.dataBits,
    parity: settings.parity,
    stopBits: settings.stopBits,
    ...flowControlOptions(settings.flowControl),
    // Open explicitly so the failure comes back here, not as a stray 'error' event.
    autoOpen: false,
    // serialport's default binding with a hang-up fix (see serial-binding.ts for why).
    binding: hangupSafeBinding,
  };
  let port: SerialPortStream;
  try {
    port = new SerialPortStream(options);
  } catch (cause) {
    // The constructor only throws on invalid options (empty path, bad baud rate).
    throw new HubError('TRANSPORT_OPEN_FAILED', `invalid serial settings for ${path}: ${String(cause)}`, { cause });
  }
  await new Promise<void>((resolve, reject) => {
    port.open((error) => (error ? reject(serialOpenError(path, error)) : resolve()));
  });
  if (lines.dtr !== undefined) {
    try {
      await holdDtr(port, lines.dtr, path);
    } catch (error) {
      await new Promise<void>((resolve) => port.close(() => resolve()));
      throw error;
    }
  }
  return new SerialLink(port, path);
}
