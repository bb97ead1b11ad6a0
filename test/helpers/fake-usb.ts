import { createLinkPair, type Link } from '../../drivers/kit/index.ts';
import {
  LIBUSB_ERROR,
  LIBUSB_TRANSFER,
  LIBUSB_TRANSFER_TYPE_BULK,
  type UsbDeviceHandle,
  type UsbEndpointHandle,
  type UsbError,
  type UsbInterfaceHandle,
  type UsbTransferHandle,
} from '../../main/transports/usb-device.ts';

/** An Error as the `usb` package makes them: libusb's name as the message, its number as errno. */
export function usbError(errno: number, message = `libusb error ${errno}`): UsbError {
  return Object.assign(new Error(message), { errno });
}

type Callback = (error: UsbError | undefined, buffer: Buffer, actual: number) => void;

interface Pending {
  buffer: Buffer;
  callback: Callback;
  timer?: NodeJS.Timeout;
}

/**
 * One fake bulk endpoint with libusb's transfer semantics: a transfer completes once (data,
 * stall, timeout, cancel or no-device), always asynchronously, as libusb's event thread does.
 */
class FakeEndpoint implements UsbEndpointHandle {
  readonly transferType = LIBUSB_TRANSFER_TYPE_BULK;
  readonly descriptor: { wMaxPacketSize: number };
  halted = false;
  clearHalts = 0;
  readonly pending: Pending[] = [];

  constructor(
    readonly direction: 'in' | 'out',
    readonly address: number,
    packetSize: number,
    private readonly owner: FakeUsbDevice,
  ) {
    this.descriptor = { wMaxPacketSize: packetSize };
  }

  makeTransfer(timeout: number, callback: Callback): UsbTransferHandle {
    let entry: Pending | undefined;
    return {
      submit: (buffer: Buffer) => {
        if (this.owner.unplugged) throw usbError(LIBUSB_ERROR.NO_DEVICE, 'LIBUSB_ERROR_NO_DEVICE');
        if (entry) throw new Error('fake usb: a transfer is submitted only once');
        entry = { buffer, callback };
        const own = entry;
        if (timeout > 0) own.timer = setTimeout(() => this.finish(own, usbError(LIBUSB_TRANSFER.TIMED_OUT), 0), timeout);
        this.pending.push(own);
        setImmediate(() => this.owner.pump());
      },
      cancel: () => {
        if (entry && this.pending.includes(entry)) {
          const own = entry;
          setImmediate(() => this.finish(own, usbError(LIBUSB_TRANSFER.CANCELLED), 0));
        }
      },
    };
  }

  clearHalt(callback: (error: UsbError | undefined) => void): void {
    setImmediate(() => {
      if (this.owner.unplugged) return callback(usbError(LIBUSB_ERROR.NO_DEVICE, 'LIBUSB_ERROR_NO_DEVICE'));
      this.halted = false;
      this.clearHalts += 1;
      callback(undefined);
      this.owner.pump();
    });
  }

  /** Complete one pending transfer (once). */
  finish(entry: Pending, error: UsbError | undefined, actual: number): void {
    const at = this.pending.indexOf(entry);
    if (at < 0) return;
    this.pending.splice(at, 1);
    clearTimeout(entry.timer);
    entry.callback(error, entry.buffer, actual);
  }
}

class FakeInterface implements UsbInterfaceHandle {
  constructor(
    readonly interfaceNumber: number,
    readonly endpoints: readonly FakeEndpoint[],
    private readonly owner: FakeUsbDevice,
  ) {}
  claim(): void {
    if (this.owner.claimError) throw this.owner.claimError;
    this.owner.calls.push('claim');
  }
  release(callback?: (error?: Error) => void): void {
    this.owner.calls.push('release');
    setImmediate(() => callback?.(this.owner.unplugged ? usbError(LIBUSB_ERROR.NO_DEVICE) : undefined));
  }
  isKernelDriverActive(): boolean {
    return this.owner.kernelDriverActive;
  }
  detachKernelDriver(): void {
    if (this.owner.detachError) throw this.owner.detachError;
    this.owner.kernelDriverActive = false;
    this.owner.calls.push('detach');
  }
  attachKernelDriver(): void {
    this.owner.kernelDriverActive = true;
    this.owner.calls.push('attach');
  }
}

/**
 * A fake `usb` Device object behind our real USB transport (this machine has no such hardware):
 * one interface with a bulk IN and a bulk OUT endpoint. What the host sends in OUT transfers
 * reaches `deviceLink`, where a driver's simulator runs; what the simulator writes waits for the
 * host's IN transfers. `stall`, `holdOut` and `unplug` make the endpoint misbehave on purpose.
 */
export class FakeUsbDevice implements UsbDeviceHandle {
  readonly busNumber: number;
  readonly deviceAddress = 7;
  readonly portNumbers: readonly number[];
  readonly deviceDescriptor: { idVendor: number; idProduct: number };
  /** The device's side: give it to `driver.simulator.run({ link: deviceLink, … })`. */
  readonly deviceLink: Link;
  /** open, detach, claim, release, attach, close: in the order the transport did them. */
  readonly calls: string[] = [];
  /** Every OUT transfer the host completed, as sent. */
  readonly sent: number[][] = [];
  kernelDriverActive = true;
  openError: UsbError | undefined;
  detachError: UsbError | undefined;
  claimError: UsbError | undefined;
  /** While true, OUT transfers stay pending (a device that does not take data) until released or timed out. */
  holdOut = false;
  unplugged = false;
  readonly endpointIn: FakeEndpoint;
  readonly endpointOut: FakeEndpoint;
  private readonly iface: FakeInterface;
  private isOpen = false;
  private readonly hostSide: Link;
  private inQueue: number[] = [];

  constructor(ids: { vendorId: number; productId: number; busNumber?: number; portNumbers?: number[]; packetSize?: number; endpointsOutFirst?: boolean }) {
    this.deviceDescriptor = { idVendor: ids.vendorId, idProduct: ids.productId };
    this.busNumber = ids.busNumber ?? 1;
    this.portNumbers = ids.portNumbers ?? [4, 2];
    const packet = ids.packetSize ?? 64;
    this.endpointIn = new FakeEndpoint('in', 0x81, packet, this);
    this.endpointOut = new FakeEndpoint('out', 0x02, packet, this);
    const endpoints = ids.endpointsOutFirst ? [this.endpointOut, this.endpointIn] : [this.endpointIn, this.endpointOut];
    this.iface = new FakeInterface(0, endpoints, this);
    const pair = createLinkPair({ mode: 'bytes' });
    this.deviceLink = pair.device;
    this.hostSide = pair.host;
    this.hostSide.onData((chunk) => {
      this.inQueue.push(...chunk);
      this.pump();
    });
  }

  get interfaces(): readonly UsbInterfaceHandle[] | undefined {
    return this.isOpen ? [this.iface] : undefined;
  }

  open(): void {
    if (this.openError) throw this.openError;
    if (this.unplugged) throw usbError(LIBUSB_ERROR.NO_DEVICE, 'LIBUSB_ERROR_NO_DEVICE');
    this.isOpen = true;
    this.calls.push('open');
  }

  close(): void {
    this.isOpen = false;
    this.calls.push('close');
  }

  /** The device halts an endpoint: its pending and next transfers stall until the host clears the halt. */
  stall(direction: 'in' | 'out'): void {
    const endpoint = direction === 'in' ? this.endpointIn : this.endpointOut;
    endpoint.halted = true;
    this.pump();
  }

  /** Pulled out: every pending transfer ends with NO_DEVICE, later calls fail. */
  unplug(): void {
    this.unplugged = true;
    for (const endpoint of [this.endpointIn, this.endpointOut]) {
      for (const entry of [...endpoint.pending]) setImmediate(() => endpoint.finish(entry, usbError(LIBUSB_TRANSFER.NO_DEVICE), 0));
    }
  }

  /** Take data again after `holdOut`. */
  releaseOut(): void {
    this.holdOut = false;
    this.pump();
  }

  /** Transfers waiting on each endpoint (the transport keeps at most one IN pending). */
  get pendingIn(): number {
    return this.endpointIn.pending.length;
  }

  /** Move data: called after every change; completes what can complete. */
  pump(): void {
    if (this.unplugged) return;
    for (const endpoint of [this.endpointIn, this.endpointOut]) {
      if (endpoint.halted) {
        for (const entry of [...endpoint.pending]) endpoint.finish(entry, usbError(LIBUSB_TRANSFER.STALL), 0);
      }
    }
    for (const entry of [...this.endpointOut.pending]) {
      if (this.holdOut || this.endpointOut.halted) break;
      const bytes = [...entry.buffer];
      this.sent.push(bytes);
      this.endpointOut.finish(entry, undefined, bytes.length);
      void this.hostSide.write(Uint8Array.from(bytes));
    }
    while (this.inQueue.length > 0 && !this.endpointIn.halted) {
      const entry = this.endpointIn.pending[0];
      if (!entry) break;
      const take = this.inQueue.splice(0, entry.buffer.length);
      entry.buffer.set(take);
      this.endpointIn.finish(entry, undefined, take.length);
    }
  }
}

/** A `find` for openUsbLink / listUsbDevices that lists these fakes. */
export function fakeFinder(...devices: FakeUsbDevice[]): () => Promise<readonly UsbDeviceHandle[]> {
  return async () => devices;
}
