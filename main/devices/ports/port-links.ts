import type { PortSettings } from '../../../shared/api/ports-model.ts';
import { HubError } from '../../../shared/errors.ts';
import { linkKinds, transportFor, type Link, type DriverManifest } from '../../../drivers/kit/index.ts';
import type { LinkSpec } from '../../transports/index.ts';
import type { PortRecord } from '../../store/ports-repo.ts';
import { settingsText } from './port-health.ts';

/** `host:port` of a serial-to-Ethernet box; undefined when the text is not one. */
export function parseHostPort(text: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text.trim());
  const port = Number(m?.[2]);
  if (!m?.[1] || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

/** The settings a serial port uses: the ones a person set, else the driver's defaults. */
export function settingsFor(record: PortRecord, manifest: DriverManifest): PortSettings | undefined {
  const serial = transportFor(manifest, 'serial');
  if (!serial || record.transport === 'hid' || record.transport === 'usb' || record.transport === 'folder') return undefined;
  return record.assignment?.settings ?? serial.serial;
}

/** How to open a port for its driver (the transports validate the spec again). */
export function linkSpecFor(record: PortRecord, manifest: DriverManifest): LinkSpec {
  if (record.transport === 'tcp') {
    const target = parseHostPort(record.path);
    if (!target) throw new HubError('CONFIG_INVALID', `"${record.path}" is not host:port.`);
    return { type: 'tcp', host: target.host, port: target.port };
  }
  if (record.transport === 'http') return { type: 'http', url: record.path };
  // A listening port has no one link: each device that connects brings its own (listening-port.ts).
  if (record.transport === 'listen') throw new HubError('CONFIG_INVALID', `${record.path} is a port the hub listens on: devices connect to it.`);
  if (record.transport === 'hid') {
    const hid = transportFor(manifest, 'hid');
    if (!hid) throw new HubError('CONFIG_INVALID', `${manifest.name} is not a HID device; ${record.path} is a HID device.`);
    return { type: 'hid', path: record.path, ...(record.usb ? { vendorId: record.usb.vendorId, productId: record.usb.productId } : {}), reportSize: hid.reportSize, ...(hid.numberedByDriver ? { numberedByDriver: true } : {}) };
  }
  if (record.transport === 'folder') {
    const folder = transportFor(manifest, 'folder');
    if (!folder) throw new HubError('CONFIG_INVALID', `${manifest.name} does not read report files; ${record.path} is a meter's folder.`);
    return { type: 'folder', path: record.path, pattern: folder.pattern };
  }
  if (linkKinds(manifest).every((k) => k === 'folder')) throw new HubError('CONFIG_INVALID', `${manifest.name} reads report files from a meter's folder; ${record.path} is not one.`);
  if (record.transport === 'usb') {
    if (!transportFor(manifest, 'usb')) throw new HubError('CONFIG_INVALID', `${manifest.name} is not read over USB bulk endpoints; ${record.path} is a USB device.`);
    // By bus path (unambiguous with two meters plugged in) and by ids, so a different device
    // plugged into the same socket since the listing is not opened as this one.
    return { type: 'usb', busPath: record.path, ...(record.usb ? { vendorId: record.usb.vendorId, productId: record.usb.productId } : {}) };
  }
  const settings = settingsFor(record, manifest);
  if (!settings) {
    const what = linkKinds(manifest).includes('usb') ? 'a USB device read over its bulk endpoints' : 'a HID device';
    throw new HubError('CONFIG_INVALID', `${manifest.name} is ${what}; ${record.path} is a serial port.`);
  }
  const dtr = transportFor(manifest, 'serial')?.dtr;
  return { type: 'serial', path: record.path, settings, ...(dtr === undefined ? {} : { dtr }) };
}

/** How the device is reached, as the device list and the session rows say it. */
export function describeLink(record: PortRecord, manifest: DriverManifest): string {
  const settings = settingsFor(record, manifest);
  return settings ? `${record.transport} ${record.path} ${settingsText(settings)}` : `${record.transport} ${record.path}`;
}

/**
 * The same link, telling `onBytes` how much arrived before the driver sees it. A wrapper rather
 * than a second listener: a Link hands data that came before the first listener to that first
 * listener only, so a health listener subscribing first would steal the driver's bytes.
 */
export function countingLink(link: Link, onBytes: (count: number) => void): Link {
  return {
    mode: link.mode,
    ...(link.reportSize === undefined ? {} : { reportSize: link.reportSize }),
    ...(link.usb ? { usb: link.usb } : {}),
    get closed() {
      return link.closed;
    },
    write: (data) => link.write(data),
    onData: (listener) =>
      link.onData((chunk) => {
        onBytes(chunk.length);
        listener(chunk);
      }),
    onClose: (listener) => link.onClose(listener),
    close: () => link.close(),
  };
}
