import { EventEmitter } from 'node:events';
import { createLinkPair, type Link, type UsbIds } from '../../drivers/kit/index.ts';
import type { HidDeviceHandle } from '../../main/transports/hid.ts';

/**
 * A fake node-hid device object behind our real HID transport (this machine has no HID
 * hardware). What the host writes reaches `deviceLink` (where a driver's simulator runs) without
 * the report-id byte; what the simulator writes comes out as node-hid 'data' events, one report
 * each. `inject` adds a raw input report (e.g. a keep-alive) between them.
 */
export class FakeHidDevice extends EventEmitter implements HidDeviceHandle {
  /** The device's side: give it to `driver.simulator.run({ link: deviceLink, … })`. */
  readonly deviceLink: Link;
  /** Every output report the host wrote, report-id byte included, as node-hid received it. */
  readonly written: number[][] = [];
  /** Every feature report the host sent, report-id byte included. */
  readonly features: number[][] = [];
  /** Called with each feature report (without the report-id byte), e.g. to tell a simulator its mode. */
  onFeature: ((report: Uint8Array) => void) | undefined;
  private readonly hostSide: Link;
  private closed = false;

  /**
   * `numberedByDriver`: the host's driver writes each report's id as byte 0 (a CP2110 meter), so
   * the device sees whole reports, id included, as the bridge would. `usb`: the device's ids, which
   * its side of the link carries (a simulator that plays several devices picks by them) and
   * `getDeviceInfo` answers, as node-hid does for a device opened by path.
   */
  constructor(
    readonly reportSize: number,
    private readonly options: { numberedByDriver?: boolean; usb?: UsbIds } = {},
  ) {
    super();
    const pair = createLinkPair({ mode: 'reports', reportSize, ...(options.usb ? { usb: options.usb } : {}) });
    this.deviceLink = pair.device;
    this.hostSide = pair.host;
    this.hostSide.onData((report) => this.inject(report));
  }

  async write(report: number[] | Buffer): Promise<number> {
    if (this.closed) throw new Error('could not write to HID device: device closed');
    const bytes = Array.from(report);
    this.written.push(bytes);
    await this.hostSide.write(Uint8Array.from(this.options.numberedByDriver ? bytes : bytes.slice(1)));
    return bytes.length;
  }

  async sendFeatureReport(report: number[] | Buffer): Promise<number> {
    if (this.closed) throw new Error('could not send feature report to HID device: device closed');
    const bytes = Array.from(report);
    this.features.push(bytes);
    this.onFeature?.(Uint8Array.from(this.options.numberedByDriver ? bytes : bytes.slice(1)));
    return bytes.length;
  }

  async getDeviceInfo(): Promise<UsbIds> {
    if (!this.options.usb) throw new Error('no device info');
    return { ...this.options.usb };
  }

  /** Deliver one input report to the host as node-hid would. */
  inject(report: Uint8Array | number[]): void {
    if (!this.closed) this.emit('data', Buffer.from(Uint8Array.from(report)));
  }

  /** Simulate an unplug: node-hid reports a read error. */
  unplug(): void {
    this.emit('error', new Error('could not read from HID device'));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.hostSide.close();
  }
}
