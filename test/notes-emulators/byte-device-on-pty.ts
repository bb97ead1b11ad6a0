/**
 * One end of a socat pty pair opened with the real `serialport` package in the test process, for
 * device emulators written from the protocol notes (not from the hub's drivers or simulators).
 * The emulator sees every byte the hub writes, in order, and answers with {@link ByteDeviceOnPty.send}.
 */
import { SerialPort } from 'serialport';

/** A device end of a pty: bytes in through `onBytes`, bytes out through `send`. */
export interface ByteDeviceOnPty {
  /** Everything the host has written so far, in order (for assertions). */
  received(): Buffer;
  /** Write bytes to the host and wait until they left the port. */
  send(bytes: Uint8Array): Promise<void>;
  /** Close the port (before the pty pair goes, so the port never sees the hang-up); throws what a handler threw. */
  close(): Promise<void>;
}

/**
 * Open `path` at `baudRate` (a pty ignores line settings; they are passed for the record) and call
 * `onBytes` with each chunk the host writes. Calls are serialised: the next chunk is handed over only
 * after the previous handler's promise settled, so an emulator can await its own replies.
 */
export async function openByteDevice(
  path: string,
  line: { baudRate: number; stopBits?: 1 | 2 },
  onBytes: (chunk: Buffer, device: ByteDeviceOnPty) => Promise<void> | void,
): Promise<ByteDeviceOnPty> {
  const port = new SerialPort({ path, baudRate: line.baudRate, stopBits: line.stopBits ?? 1, dataBits: 8, parity: 'none', autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  const chunks: Buffer[] = [];
  let queue: Promise<void> = Promise.resolve();
  let failure: unknown;
  const device: ByteDeviceOnPty = {
    received: () => Buffer.concat(chunks),
    send: (bytes) =>
      new Promise<void>((resolve, reject) => {
        port.write(Buffer.from(bytes), (error) => {
          if (error) reject(error);
          else port.drain((e) => (e ? reject(e) : resolve()));
        });
      }),
    async close() {
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
      if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
    },
  };
  port.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    queue = queue.then(() => onBytes(chunk, device)).catch((error: unknown) => {
      // An emulator bug must fail the test, not vanish in an event handler.
      failure ??= error;
    });
  });
  return device;
}
