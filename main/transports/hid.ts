import { HIDAsync, devicesAsync, setDriverType } from 'node-hid';
import { HubError } from '../../shared/errors.ts';
import { LinkBase, type Link } from '../../drivers/kit/index.ts';

/**
 * The part of node-hid's `HIDAsync` we use. Our own interface so tests can put a fake device
 * behind the real Link (a fake only at the lowest layer, docs/architecture.md §12), and so node-hid's loose typings
 * stop at this file.
 */
export interface HidDeviceHandle {
  /** Write one output report; byte 0 is the report id (0 when the device has none). */
  write(report: number[] | Buffer): Promise<number>;
  /** One input report per event, as hidapi read it. Subscribing starts node-hid's read loop. */
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  /** A read failure after open: on Linux this is how an unplug shows. */
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): Promise<void>;
  /** Send a feature report; byte 0 is the report id. node-hid has it; optional so older fakes still fit. */
  sendFeatureReport?(report: number[] | Buffer): Promise<number>;
  /** The opened device's ids (node-hid has it); optional so older fakes still fit. */
  getDeviceInfo?(): Promise<{ vendorId: number; productId: number }>;
}

/** Which device to open: its OS path (preferred: unambiguous), or the first with these USB ids. */
export interface HidTarget {
  path?: string;
  vendorId?: number;
  productId?: number;
}

interface HidLinkOptions {
  /** Output report size in bytes without the report-id byte; shorter writes are zero-padded. */
  reportSize: number;
  /** Report id prefixed to every output report. Default 0: the device does not number its reports. */
  reportId?: number;
  /**
   * The driver numbers each report itself: byte 0 of every write and feature report is its report
   * id, sent as given and never padded. A CP2110 bridge names its data reports by their length
   * (drivers/families/cp2110/README.md), so no fixed id fits. `reportId` is then unused.
   */
  numberedByDriver?: boolean;
  /** Opens the device; default node-hid's `HIDAsync.open`. Tests pass a fake. */
  open?: (target: HidTarget) => Promise<HidDeviceHandle>;
}

/** A HID device as node-hid enumerates it. */
export interface HidDeviceInfo {
  path?: string;
  vendorId: number;
  productId: number;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
  /** USB interface number: composite devices expose one path per interface. */
  interface: number;
  usagePage?: number;
  usage?: number;
}

export type HidListResult = { ok: true; devices: HidDeviceInfo[] } | { ok: false; error: HubError; devices: HidDeviceInfo[] };

/**
 * node-hid's default opener. On Linux we ask for the hidraw backend explicitly: it needs no
 * kernel-driver detaching (the libusb backend does), and a udev rule on `hidraw` is enough for
 * access. setDriverType only matters before node-hid loads its binding, so calling it every time
 * is harmless.
 */
async function openWithNodeHid(target: HidTarget): Promise<HidDeviceHandle> {
  if (process.platform === 'linux') setDriverType('hidraw');
  if (target.path) return HIDAsync.open(target.path);
  return HIDAsync.open(target.vendorId ?? 0, target.productId ?? 0);
}

function hex4(id: number | undefined): string {
  return id === undefined ? 'xxxx' : id.toString(16).padStart(4, '0');
}

function describe(target: HidTarget): string {
  return target.path ?? `${hex4(target.vendorId)}:${hex4(target.productId)}`;
}

/**
 * hidapi's open errors are plain Errors with the OS reason in words ("…: Permission denied",
 * "No HID devices with requested VID/PID found in the system."); we match the words.
 */
export function hidOpenError(target: HidTarget, cause: unknown): HubError {
  const text = cause instanceof Error ? cause.message : String(cause);
  const name = describe(target);
  if (/no such file|not found|no hid devices|ENOENT|ENODEV|LIBUSB_ERROR_NO_DEVICE|LIBUSB_ERROR_NOT_FOUND/i.test(text)) {
    return new HubError('TRANSPORT_NOT_FOUND', `HID device ${name} was not found (is it plugged in and switched on?)`, { cause });
  }
  if (/busy|EBUSY|LIBUSB_ERROR_BUSY|exclusive/i.test(text)) {
    return new HubError('TRANSPORT_ACCESS_DENIED', `HID device ${name} is in use by another program: close that program and try again`, { cause });
  }
  if (/permission denied|EACCES|EPERM|operation not permitted|LIBUSB_ERROR_ACCESS|access denied/i.test(text)) {
    const hint =
      process.platform === 'linux'
        ? `add a udev rule such as SUBSYSTEM=="hidraw", ATTRS{idVendor}=="${hex4(target.vendorId)}", MODE="0660", GROUP="plugdev" ` +
          'in /etc/udev/rules.d/70-pochub.rules, make sure the user is in the plugdev group, run sudo udevadm control --reload-rules, then unplug and replug the device'
        : 'check that no other program uses it and that this user may access USB devices';
    return new HubError('TRANSPORT_ACCESS_DENIED', `no permission to open HID device ${name}: ${hint}`, { cause });
  }
  return new HubError('TRANSPORT_OPEN_FAILED', `could not open HID device ${name}: ${text}`, { cause });
}

/** A reports-mode Link: each write is one output report, each chunk one input report. */
class HidLink extends LinkBase {
  readonly mode = 'reports' as const;

  constructor(
    private readonly device: HidDeviceHandle,
    override readonly reportSize: number,
    private readonly reportId: number,
    private readonly name: string,
    private readonly numberedByDriver: boolean,
  ) {
    super();
    // Delivered as hidapi read it: node-hid adds nothing. A device with numbered reports sends
    // the report id as byte 0 (it is part of the report on the wire); one without sends none.
    // Copy out of node-hid's Buffer so a driver holding the chunk shares memory with nobody.
    device.on('data', (report) => this.deliver(Uint8Array.from(report)));
    device.on('error', (error) => this.lost(error));
  }

  private lost(cause: Error): HubError {
    const error = new HubError('TRANSPORT_CLOSED', `the device was disconnected (HID ${this.name}: ${cause.message})`, { cause });
    this.ended(error);
    // Release the handle; it is dead and a second failure has nobody to tell.
    this.device.close().catch(() => undefined);
    return error;
  }

  protected async send(data: Uint8Array): Promise<void> {
    if (this.numberedByDriver) return this.sendNumbered(data);
    if (data.length > this.reportSize) {
      // A driver bug, not a device condition: fail loudly instead of truncating a command.
      throw new RangeError(`HID report of ${data.length} bytes exceeds the report size of ${this.reportSize}`);
    }
    // node-hid (hidapi) takes the report id as byte 0, even when it is 0 and not sent on the wire;
    // Windows also insists on the full report length, so we always pad.
    const report = Buffer.alloc(this.reportSize + 1);
    report[0] = this.reportId;
    report.set(data, 1);
    try {
      await this.device.write(report);
    } catch (cause) {
      throw this.lost(cause instanceof Error ? cause : new Error(String(cause)));
    }
  }

  /** A report whose id the driver put in byte 0: sent exactly as given (a CP2110 rejects padding it does not expect). */
  private async sendNumbered(data: Uint8Array): Promise<void> {
    if (data.length < 1 || data.length > this.reportSize + 1) {
      throw new RangeError(`a numbered HID report must hold its id and 0..${this.reportSize} bytes, got ${data.length} bytes in all`);
    }
    try {
      await this.device.write(Buffer.from(data));
    } catch (cause) {
      throw this.lost(cause instanceof Error ? cause : new Error(String(cause)));
    }
  }

  /**
   * A feature report with this link's report id in front (hidapi wants it as byte 0, as for
   * writes); when the driver numbers its reports, `data` starts with the id and goes as given.
   */
  async sendFeatureReport(data: Uint8Array): Promise<void> {
    if (this.closed) throw new HubError('TRANSPORT_CLOSED', 'the device link is closed');
    if (!this.device.sendFeatureReport) throw new HubError('TRANSPORT_OPEN_FAILED', `HID device ${this.name} cannot take feature reports here`);
    let report: Buffer;
    if (this.numberedByDriver) {
      report = Buffer.from(data);
    } else {
      report = Buffer.alloc(data.length + 1);
      report[0] = this.reportId;
      report.set(data, 1);
    }
    try {
      await this.device.sendFeatureReport(report);
    } catch (cause) {
      throw this.lost(cause instanceof Error ? cause : new Error(String(cause)));
    }
  }

  protected async shutdown(): Promise<void> {
    await this.device.close().catch(() => undefined);
  }
}

/**
 * Open a HID device as a reports-mode Link.
 *
 * Rejects with a HubError: TRANSPORT_NOT_FOUND, TRANSPORT_ACCESS_DENIED (no permission, or
 * another program holds the device; the message says what to do), TRANSPORT_OPEN_FAILED.
 * After open, an 'error' from the device (unplug) ends the link with TRANSPORT_CLOSED.
 */
export async function openHidLink(target: HidTarget, options: HidLinkOptions): Promise<Link> {
  if (!target.path && (target.vendorId === undefined || target.productId === undefined)) {
    throw new HubError('INPUT_INVALID', 'a HID device is chosen by path or by both vendorId and productId');
  }
  if (!Number.isInteger(options.reportSize) || options.reportSize <= 0) {
    throw new HubError('INPUT_INVALID', `HID report size must be a positive integer, got ${options.reportSize}`);
  }
  const reportId = options.reportId ?? 0;
  if (!Number.isInteger(reportId) || reportId < 0 || reportId > 0xff) {
    throw new HubError('INPUT_INVALID', `HID report id must be 0..255, got ${reportId}`);
  }
  const open = options.open ?? openWithNodeHid;
  let device: HidDeviceHandle;
  try {
    device = await open(target);
  } catch (cause) {
    throw hidOpenError(target, cause);
  }
  const link = new HidLink(device, options.reportSize, reportId, describe(target), options.numberedByDriver === true);
  // The device's ids go with the link (Link.usb): a driver that reads two HID devices over
  // different framings picks by them. Opened by path alone, the device itself says them.
  const ids = target.vendorId !== undefined && target.productId !== undefined ? { vendorId: target.vendorId, productId: target.productId } : await device.getDeviceInfo?.().catch(() => undefined);
  if (ids) link.usb = { vendorId: ids.vendorId, productId: ids.productId };
  return link;
}

/** Enumerate HID devices. Never throws: a failure (e.g. libudev missing) comes back as `ok: false`. */
export async function listHidDevices(): Promise<HidListResult> {
  try {
    if (process.platform === 'linux') setDriverType('hidraw');
    const devices = await devicesAsync();
    return { ok: true, devices: devices.map((d) => ({ ...d })) };
  } catch (cause) {
    const text = cause instanceof Error ? cause.message : String(cause);
    // node-hid's Linux binaries link libudev and libusb; on a bare system the load itself fails.
    const hint = /libudev|libusb/i.test(text) ? ': install libudev1 and libusb-1.0-0' : '';
    return { ok: false, devices: [], error: new HubError('TRANSPORT_LIST_FAILED', `could not list HID devices (${text})${hint}`, { cause }) };
  }
}
