import type { Device } from 'usb';
import { HubError } from '../../shared/errors.ts';
import { LinkBase, type Link } from '../../drivers/kit/index.ts';
import {
  LIBUSB_TRANSFER_TYPE_BULK,
  UsbTransferError,
  bulkTransfer,
  busPathOf,
  clearHalt,
  hex4,
  transferHubError,
  type UsbDeviceHandle,
  type UsbEndpointHandle,
  type UsbInterfaceHandle,
  findWithLibusb,
} from './usb-device.ts';
import { usbOpenError, type UsbErrorTarget } from './usb-errors.ts';

export { busPathOf, type UsbDeviceHandle } from './usb-device.ts';
export { listUsbDevices, type UsbDeviceInfo, type UsbListResult } from './usb-list.ts';

// The package's own Device must keep fitting our interface: a type error here means `usb`
// changed shape and the fake devices in tests no longer stand for it.
export const deviceFits = (device: Device): UsbDeviceHandle => device;

/** Which device: by bus path (`1-4.2`, unambiguous), by USB ids (the first found), or both. */
export interface UsbTarget {
  vendorId?: number;
  productId?: number;
  busPath?: string;
}

/** How to use the device once found. */
export interface UsbLinkOptions {
  /** Interface to claim; default the first with a bulk IN and a bulk OUT endpoint. */
  interfaceNumber?: number;
  /** Bytes asked for per IN transfer; default the IN endpoint's packet size, so no read waits for more than one packet. */
  readSize?: number;
  /** Deadline of one OUT transfer; default DEFAULT_WRITE_TIMEOUT_MS. */
  writeTimeoutMs?: number;
  /** Lists the devices; default the `usb` package's getDeviceList. Tests pass fakes. */
  find?: () => Promise<readonly UsbDeviceHandle[]>;
  /** The OS whose rules apply (kernel drivers, access hints); default process.platform. */
  platform?: NodeJS.Platform;
}

export const DEFAULT_WRITE_TIMEOUT_MS = 5000;
/** A device that stalls its IN endpoint this many times in a row without sending anything is treated as broken. */
export const MAX_CONSECUTIVE_STALLS = 3;

function describe(target: UsbTarget): string {
  const ids = target.vendorId !== undefined || target.productId !== undefined ? `${hex4(target.vendorId)}:${hex4(target.productId)}` : undefined;
  if (target.busPath && ids) return `${ids} at ${target.busPath}`;
  return target.busPath ?? ids ?? 'unknown';
}

function matches(device: UsbDeviceHandle, target: UsbTarget): boolean {
  if (target.busPath !== undefined && busPathOf(device) !== target.busPath) return false;
  if (target.vendorId !== undefined && device.deviceDescriptor.idVendor !== target.vendorId) return false;
  if (target.productId !== undefined && device.deviceDescriptor.idProduct !== target.productId) return false;
  return true;
}

function bulkEndpoint(iface: UsbInterfaceHandle, direction: 'in' | 'out'): UsbEndpointHandle | undefined {
  // By direction, never by position: devices list their endpoints in either order.
  return iface.endpoints.find((e) => e.direction === direction && e.transferType === LIBUSB_TRANSFER_TYPE_BULK);
}

/**
 * A bytes-mode Link over a pair of bulk endpoints: each write is one OUT transfer, each IN
 * transfer one chunk. Drivers frame the stream themselves, as on serial, so the same driver runs
 * over this, a memory pair or a replayed trace (docs/trace-format.md: a USB trace is a byte trace).
 */
class UsbLink extends LinkBase {
  readonly mode = 'bytes' as const;
  private readonly stop = new AbortController();
  private readonly reading: Promise<void>;

  constructor(
    private readonly device: UsbDeviceHandle,
    private readonly iface: UsbInterfaceHandle,
    private readonly endpoints: { in: UsbEndpointHandle; out: UsbEndpointHandle },
    private readonly settings: { readSize: number; writeTimeoutMs: number; reattach: boolean },
    private readonly name: string,
  ) {
    super();
    this.reading = this.readLoop();
  }

  /**
   * One IN transfer at a time, without a deadline: the device speaks when it has something, and
   * the driver's session owns the deadlines. A stall is cleared and reading goes on (a stalled
   * transfer carries no data, so nothing is lost); a device that is gone ends the link.
   */
  private async readLoop(): Promise<void> {
    let stalls = 0;
    while (!this.stop.signal.aborted) {
      try {
        const data = await bulkTransfer(this.endpoints.in, Buffer.alloc(this.settings.readSize), { timeoutMs: 0, signal: this.stop.signal });
        stalls = 0;
        // Copied out so a driver holding the chunk shares memory with nobody.
        this.deliver(Uint8Array.from(data));
      } catch (error) {
        if (this.stop.signal.aborted) return;
        if (error instanceof UsbTransferError && error.failure === 'stall' && stalls < MAX_CONSECUTIVE_STALLS) {
          stalls += 1;
          try {
            await clearHalt(this.endpoints.in);
            continue;
          } catch (clearError) {
            this.lost(clearError, 'clearing a stalled IN endpoint');
            return;
          }
        }
        this.lost(error, 'a read');
        return;
      }
    }
  }

  /** Why the link ended on its own (unplug, I/O error), for a write that was in flight. */
  private lostWith: HubError | undefined;

  private lost(error: unknown, what: string): HubError {
    if (this.lostWith) return this.lostWith;
    const hubError = transferHubError(error, this.name, what);
    this.lostWith = hubError;
    this.stop.abort();
    this.ended(hubError);
    this.release();
    return hubError;
  }

  /** After an unplug, a write says so rather than only that the link is closed. */
  override async write(data: Uint8Array): Promise<void> {
    if (this.lostWith) throw this.lostWith;
    await super.write(data);
  }

  /**
   * One OUT transfer with a deadline. After a stall the halt is cleared and what the device had
   * not taken is sent once more; a second failure is the caller's error.
   */
  protected async send(data: Uint8Array): Promise<void> {
    const options = { timeoutMs: this.settings.writeTimeoutMs, signal: this.stop.signal };
    let rest = Buffer.from(data);
    for (let attempt = 0; ; attempt++) {
      try {
        await bulkTransfer(this.endpoints.out, rest, options);
        return;
      } catch (error) {
        if (this.stop.signal.aborted) throw this.lostWith ?? new HubError('TRANSPORT_CLOSED', 'the device link is closed', { cause: error });
        if (error instanceof UsbTransferError && error.failure === 'stall' && attempt === 0) {
          rest = rest.subarray(error.actual);
          try {
            await clearHalt(this.endpoints.out);
            continue;
          } catch (clearError) {
            throw this.lost(clearError, 'clearing a stalled OUT endpoint');
          }
        }
        if (error instanceof UsbTransferError && (error.failure === 'gone' || error.failure === 'io')) throw this.lost(error, 'a write');
        throw transferHubError(error, this.name, 'a write');
      }
    }
  }

  protected async shutdown(): Promise<void> {
    this.stop.abort();
    // libusb must have let go of the IN transfer before the interface is released.
    await this.reading;
    await this.releaseInterface();
  }

  private release(): void {
    void this.reading.then(() => this.releaseInterface());
  }

  private releasing: Promise<void> | undefined;

  /** Release, give the kernel its driver back, close. Each step may fail on an unplugged device: that is fine. */
  private releaseInterface(): Promise<void> {
    this.releasing ??= new Promise<void>((resolve) => {
      const finish = (): void => {
        if (this.settings.reattach) {
          try {
            this.iface.attachKernelDriver();
          } catch {
            // Gone or refused: the OS binds its driver again on the next plug anyway.
          }
        }
        try {
          this.device.close();
        } catch {
          // Already closed by an unplug.
        }
        resolve();
      };
      try {
        this.iface.release(() => finish());
      } catch {
        finish();
      }
    });
    return this.releasing;
  }
}

/**
 * Open a USB device's bulk endpoints as a bytes-mode Link: find it (bus path and/or ids), open
 * it, detach the kernel driver from the interface where the OS lets us (Linux; given back on
 * close), claim it, and read until closed.
 *
 * Rejects with a HubError: TRANSPORT_NOT_FOUND, TRANSPORT_ACCESS_DENIED (the message names the
 * fix: the udev rule on Linux, the one-time WinUSB binding on Windows), TRANSPORT_OPEN_FAILED,
 * INPUT_INVALID. After open, an unplug ends the link with TRANSPORT_CLOSED.
 */
export async function openUsbLink(target: UsbTarget, options: UsbLinkOptions = {}): Promise<Link> {
  if (target.busPath === undefined && (target.vendorId === undefined || target.productId === undefined)) {
    throw new HubError('INPUT_INVALID', 'a USB device is chosen by bus path or by both vendorId and productId');
  }
  const platform = options.platform ?? process.platform;
  const name = describe(target);
  let devices: readonly UsbDeviceHandle[];
  try {
    devices = await (options.find ?? findWithLibusb)();
  } catch (cause) {
    throw new HubError('TRANSPORT_OPEN_FAILED', `could not list USB devices to open ${name}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  const device = devices.find((d) => matches(d, target));
  if (!device) throw new HubError('TRANSPORT_NOT_FOUND', `USB device ${name} was not found (is it plugged in and switched on?)`);
  const errorTarget: UsbErrorTarget = { vendorId: device.deviceDescriptor.idVendor, productId: device.deviceDescriptor.idProduct, name };

  try {
    device.open();
  } catch (cause) {
    throw usbOpenError(errorTarget, 'open', cause, platform);
  }
  const closeQuietly = (): void => {
    try {
      device.close();
    } catch {
      // Nothing more to undo.
    }
  };
  const iface = (device.interfaces ?? []).find((i) =>
    options.interfaceNumber !== undefined ? i.interfaceNumber === options.interfaceNumber : bulkEndpoint(i, 'in') && bulkEndpoint(i, 'out'),
  );
  const endIn = iface && bulkEndpoint(iface, 'in');
  const endOut = iface && bulkEndpoint(iface, 'out');
  if (!iface || !endIn || !endOut) {
    closeQuietly();
    const which = options.interfaceNumber !== undefined ? `interface ${options.interfaceNumber}` : 'any interface';
    throw new HubError('TRANSPORT_OPEN_FAILED', `USB device ${name} has no bulk IN and OUT endpoints on ${which}: is it the right device?`);
  }

  // Linux binds a class driver (usb-storage, cdc_acm…) that must let go first. Other OSes answer
  // "not supported" to the question, which simply means there is nothing to detach.
  let reattach = false;
  if (platform === 'linux') {
    try {
      if (iface.isKernelDriverActive()) {
        iface.detachKernelDriver();
        reattach = true;
      }
    } catch (cause) {
      closeQuietly();
      throw usbOpenError(errorTarget, 'detach', cause, platform);
    }
  }
  try {
    iface.claim();
  } catch (cause) {
    if (reattach) {
      try {
        iface.attachKernelDriver();
      } catch {
        // Best effort: the next plug restores it anyway.
      }
    }
    closeQuietly();
    throw usbOpenError(errorTarget, 'claim', cause, platform);
  }
  const readSize = options.readSize ?? Math.max(1, endIn.descriptor.wMaxPacketSize);
  if (!Number.isInteger(readSize) || readSize <= 0) throw new HubError('INPUT_INVALID', `USB read size must be a positive integer, got ${readSize}`);
  return new UsbLink(device, iface, { in: endIn, out: endOut }, { readSize, writeTimeoutMs: options.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS, reattach }, name);
}
