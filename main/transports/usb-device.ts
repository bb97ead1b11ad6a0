import { CancelledError, HubError } from '../../shared/errors.ts';

/**
 * The parts of the `usb` package (libusb) the USB transport uses, as our own interfaces: tests
 * put a fake device object of the same shape behind the real transport code (a fake only at the
 * lowest layer, docs/architecture.md §12), and the package's loose typings stop here.
 * usb.ts checks at compile time that the package's own `Device` still fits.
 */
export interface UsbDeviceHandle {
  readonly busNumber: number;
  readonly deviceAddress: number;
  /** Hub port numbers from the root hub down: with busNumber, the bus path (`1-4.2`). */
  readonly portNumbers: readonly number[];
  readonly deviceDescriptor: { readonly idVendor: number; readonly idProduct: number };
  /** Interfaces of the active configuration; only present while the device is open. */
  readonly interfaces: readonly UsbInterfaceHandle[] | undefined;
  open(defaultConfig?: boolean): void;
  close(): void;
}

export interface UsbInterfaceHandle {
  readonly interfaceNumber: number;
  readonly endpoints: readonly UsbEndpointHandle[];
  claim(): void;
  release(callback?: (error?: Error) => void): void;
  isKernelDriverActive(): boolean;
  detachKernelDriver(): void;
  attachKernelDriver(): void;
}

/** One libusb transfer: submitted once, cancelled when its caller gives up. */
export interface UsbTransferHandle {
  submit(buffer: Buffer): unknown;
  cancel(): unknown;
}

export interface UsbEndpointHandle {
  readonly direction: 'in' | 'out';
  /** libusb transfer type: 2 = bulk (LIBUSB_TRANSFER_TYPE_BULK). */
  readonly transferType: number;
  readonly address: number;
  readonly descriptor: { readonly wMaxPacketSize: number };
  makeTransfer(timeout: number, callback: (error: UsbError | undefined, buffer: Buffer, actualLength: number) => void): UsbTransferHandle;
  clearHalt(callback: (error: UsbError | undefined) => void): void;
}

/** What `usb` throws or passes to callbacks: an Error with libusb's number. */
export interface UsbError extends Error {
  errno?: number;
}

export const LIBUSB_TRANSFER_TYPE_BULK = 2;

/**
 * libusb's numbers. Calls (open, claim, detach) fail with a negative LIBUSB_ERROR_*; a finished
 * transfer reports its positive LIBUSB_TRANSFER_* status instead, so the two are told apart by
 * where they came from, never by the message (which libusb does not name for transfer statuses).
 */
export const LIBUSB_ERROR = { ACCESS: -3, NO_DEVICE: -4, NOT_FOUND: -5, BUSY: -6, TIMEOUT: -7, PIPE: -9, NOT_SUPPORTED: -12 } as const;
export const LIBUSB_TRANSFER = { ERROR: 1, TIMED_OUT: 2, CANCELLED: 3, STALL: 4, NO_DEVICE: 5, OVERFLOW: 6 } as const;

/** Why a bulk transfer failed, in the terms the Link acts on. */
export type TransferFailure = 'stall' | 'timeout' | 'gone' | 'cancelled' | 'io';

/** A failed bulk transfer: `failure` says what the Link should do, `actual` how much got through. */
export class UsbTransferError extends Error {
  constructor(
    readonly failure: TransferFailure,
    readonly actual: number,
    cause: unknown,
  ) {
    super(`USB transfer failed (${failure}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

function failureOf(error: UsbError): TransferFailure {
  switch (error.errno) {
    case LIBUSB_TRANSFER.STALL:
    case LIBUSB_ERROR.PIPE:
      return 'stall';
    case LIBUSB_TRANSFER.TIMED_OUT:
    case LIBUSB_ERROR.TIMEOUT:
      return 'timeout';
    case LIBUSB_TRANSFER.NO_DEVICE:
    case LIBUSB_ERROR.NO_DEVICE:
    case LIBUSB_ERROR.NOT_FOUND:
      return 'gone';
    case LIBUSB_TRANSFER.CANCELLED:
      return 'cancelled';
    default:
      return 'io';
  }
}

/** Deadline and cancellation of one transfer. `timeoutMs` 0 waits as long as it takes. */
export interface TransferOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * One bulk transfer: OUT sends `data`, IN reads up to `data.length` bytes into it. The deadline
 * is libusb's own transfer timeout (it cancels in the kernel, so nothing is left pending); the
 * signal cancels the transfer, and the promise then rejects with the signal's reason (a
 * CancelledError unless the caller aborted with a HubError of its own), never before libusb has let go of the buffer.
 * Resolves with the bytes actually moved (IN: the filled part of the buffer).
 */
export function bulkTransfer(endpoint: UsbEndpointHandle, data: Buffer, options: TransferOptions): Promise<Buffer> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise<Buffer>((resolve, reject) => {
    let onAbort: (() => void) | undefined;
    const done = (error: UsbError | undefined, buffer: Buffer, actual: number): void => {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      if (!error) return resolve(buffer.subarray(0, actual));
      const failure = failureOf(error);
      if (failure === 'cancelled' && signal?.aborted) return reject(abortReason(signal));
      reject(new UsbTransferError(failure, actual, error));
    };
    let transfer: UsbTransferHandle;
    try {
      transfer = endpoint.makeTransfer(options.timeoutMs, done);
      transfer.submit(data);
    } catch (cause) {
      // Submitting fails synchronously when the device is already gone (LIBUSB_ERROR_NO_DEVICE).
      const error = cause instanceof Error ? (cause as UsbError) : new Error(String(cause));
      return reject(new UsbTransferError(failureOf(error), 0, error));
    }
    if (signal) {
      onAbort = () => {
        // libusb still calls back (status CANCELLED); the promise settles there.
        try {
          transfer.cancel();
        } catch {
          // Already finished: its callback is on its way and settles the promise.
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
}

/** Clear a stalled endpoint (CLEAR_FEATURE ENDPOINT_HALT), the host's side of USB stall recovery. */
export function clearHalt(endpoint: UsbEndpointHandle): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    try {
      endpoint.clearHalt((error) => (error ? reject(new UsbTransferError(failureOf(error), 0, error)) : resolve()));
    } catch (cause) {
      reject(new UsbTransferError('io', 0, cause));
    }
  });
}

function abortReason(signal: AbortSignal): unknown {
  // The kit's deadlines abort with a HubError (a timeout or a CancelledError); anything else,
  // such as the DOMException of a bare abort(), becomes a plain cancellation.
  return signal.reason instanceof HubError ? signal.reason : new CancelledError('USB transfer: cancelled');
}

/** `1-4.2`: the bus number and the hub ports down to the device, as Linux names it in sysfs. */
export function busPathOf(device: Pick<UsbDeviceHandle, 'busNumber' | 'portNumbers'>): string {
  return device.portNumbers.length > 0 ? `${device.busNumber}-${device.portNumbers.join('.')}` : `${device.busNumber}-0`;
}

export const hex4 = (id: number | undefined): string => (id === undefined ? 'xxxx' : id.toString(16).padStart(4, '0'));

/** A HubError for a transfer that failed after open (used by the Link). */
export function transferHubError(error: unknown, name: string, what: string): HubError {
  if (error instanceof HubError) return error;
  if (error instanceof UsbTransferError) {
    if (error.failure === 'gone') return new HubError('TRANSPORT_CLOSED', `the device was disconnected (USB ${name}, during ${what})`, { cause: error });
    if (error.failure === 'timeout') return new HubError('TRANSPORT_TIMEOUT', `USB device ${name} did not accept data in time (${what})`, { cause: error });
  }
  const text = error instanceof Error ? error.message : String(error);
  return new HubError('TRANSPORT_CLOSED', `USB device ${name} failed during ${what}: ${text}`, { cause: error });
}

/** Loaded on first use: the hub starts even where libusb cannot load, and only USB devices suffer. */
export async function findWithLibusb(): Promise<readonly UsbDeviceHandle[]> {
  const usb = await import('usb');
  return usb.getDeviceList();
}
