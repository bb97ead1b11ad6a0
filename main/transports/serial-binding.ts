import { read } from 'node:fs';
import { promisify } from 'node:util';
import { SerialPort } from 'serialport';

/** What SerialPort hands the binding's open(): the options of whichever platform binding was detected. */
type OpenOptions = Parameters<(typeof SerialPort.binding)['open']>[0];
/**
 * The detected binding's open(). Its type is a union over platforms, which TypeScript can only
 * call with all platforms' options at once; at run time there is one platform and its options.
 */
const openDetected = SerialPort.binding.open.bind(SerialPort.binding) as (options: OpenOptions) => ReturnType<(typeof SerialPort.binding)['open']>;

/**
 * serialport's own native binding, with one repair: a read that hits end-of-file reports a
 * disconnect instead of retrying forever.
 *
 * Why: when a tty hangs up (USB-serial adapter unplugged, pty peer gone) every later read(2)
 * returns 0. serialport's Unix reader (bindings-cpp `unixRead`, still in 13.0.0) answers a 0-byte
 * read by reading again at once, so if the hang-up lands between two reads it spins a CPU core
 * forever and never emits 'close': the unplug goes unnoticed. Only a hang-up that lands while it
 * waits in its poller is reported. Upstream: serialport/bindings-cpp#162 (PR #164 not merged).
 * Reproduced here with socat: open a pty, kill socat, then start reading.
 */
export const hangupSafeBinding: typeof SerialPort.binding = {
  list: () => SerialPort.binding.list(),
  async open(options: OpenOptions) {
    const port = await openDetected(options);
    if (isUnixPort(port)) port.read = (buffer, offset, length) => readOrHangUp(port, buffer, offset, length);
    return port;
  },
} as typeof SerialPort.binding;

/** The public fields of bindings-cpp's Linux and Darwin port bindings that our reader needs. */
interface UnixPort {
  fd: number | null;
  readonly isOpen: boolean;
  readonly poller: { once(event: 'readable', callback: (error: Error | null) => void): unknown };
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
}

function isUnixPort(port: object): port is UnixPort {
  return 'poller' in port && 'fd' in port && typeof port.fd === 'number';
}

const readAsync = promisify(read);

/** serialport's stream ignores "canceled" errors: they are how a read learns the port was closed. */
function canceled(): Error {
  return Object.assign(new Error('Port is not open'), { canceled: true });
}

/**
 * Same contract as bindings-cpp's reader (wait for at least one byte; errors that are not
 * `canceled` make the stream close the port with a DisconnectedError), except on end-of-file.
 */
async function readOrHangUp(port: UnixPort, buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
  for (;;) {
    if (!port.isOpen || port.fd === null) throw canceled();
    try {
      const { bytesRead } = await readAsync(port.fd, buffer, offset, length, null);
      // The port is opened non-blocking with VMIN 1, so "no data yet" is EAGAIN; 0 is end-of-file.
      if (bytesRead === 0) throw Object.assign(new Error('the device hung up (end of file)'), { disconnect: true });
      return { buffer, bytesRead };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw error;
      if (!port.isOpen) throw canceled();
      // A poller error (EBADF on hang-up) rejects here and becomes the disconnect.
      await new Promise<void>((resolve, reject) => port.poller.once('readable', (e) => (e ? reject(e) : resolve())));
    }
  }
}
