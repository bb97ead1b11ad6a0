import type { Port } from '../../../shared/api/ports-model.ts';
import type { PortTransport } from '../../../shared/port-transports.ts';
import { linkKinds, type DriverManifest } from '../../../drivers/kit/index.ts';
import { GENERIC_ADAPTERS, KNOWN_UNSUPPORTED, findKnown, usbIdText } from './usb-ids.ts';

type PortMatch = Port['match'];

/** What the matcher needs to know of a port. */
interface MatchInput {
  transport: PortTransport;
  usb?: { vendorId: number; productId: number; product?: string };
}

/**
 * Match one port to the drivers by USB id (docs/architecture.md §6: when two drivers or two devices match,
 * the user chooses — never a silent guess).
 *
 * @param twins how many *other* ports plugged in right now carry the same vendor:product id.
 * Identical devices on two ports cannot be told apart by id, so neither is connected by itself.
 */
export function matchPort(port: MatchInput, manifests: readonly DriverManifest[], twins = 0): PortMatch {
  if (port.transport === 'listen') return { kind: 'none', driverIds: [], message: 'Devices connect to this port over the network: choose the driver for them by hand.' };
  if (port.transport === 'folder') return { kind: 'none', driverIds: [], message: "A meter's mounted folder of report files: choose its driver by hand." };
  if (port.transport === 'http') return { kind: 'none', driverIds: [], message: "A vendor's service on this workstation: choose its driver by hand." };
  if (!port.usb) {
    return { kind: 'none', driverIds: [], message: 'No USB ids for this port (a built-in port, a pty or a network box): choose its driver by hand.' };
  }
  const { vendorId, productId } = port.usb;
  const id = usbIdText(vendorId, productId);
  // By the kind of port: a USB id on a serial port names the cable, on a HID or USB port the device.
  const wanted = port.transport === 'hid' ? 'hid' : port.transport === 'usb' ? 'usb' : 'serial';
  const fitting = manifests.filter((m) => linkKinds(m).includes(wanted) && m.usb.some((u) => u.vendorId === vendorId && u.productId === productId));
  const driverIds = fitting.map((m) => m.id);
  const adapter = findKnown(GENERIC_ADAPTERS, vendorId, productId);
  const name = adapter?.name ?? port.usb.product ?? `USB device ${id}`;

  if (fitting.length > 1) {
    return { kind: 'several', driverIds, message: `${name} (${id}) is used by ${orList(fitting.map((m) => m.name))}: choose the driver for the device behind it.` };
  }
  const only = fitting[0];
  // A chip maker's default id (CP210x, PL2303…) says nothing about the device behind it, even
  // when one driver's manifest lists it: offer that driver, never connect it by itself.
  if (only && adapter) {
    return { kind: 'several', driverIds, message: `${name} (${id}): ${only.name} uses this chip, but any serial device may be behind it; choose the driver.` };
  }
  if (only) {
    if (twins > 0) {
      return {
        kind: 'several',
        driverIds,
        message: `${twins + 1} identical ${only.name} devices (${id}) are plugged in: assign each port by hand; none was connected automatically.`,
      };
    }
    return { kind: 'one', driverIds, message: `${only.name} recognised by its USB id (${id}).` };
  }
  const unsupported = findKnown(KNOWN_UNSUPPORTED, vendorId, productId);
  if (unsupported) {
    return { kind: 'unsupported', driverIds: [], message: `${unsupported.name} (${id}) is recognised, but POC Hub has no driver for it.` };
  }
  if (port.transport === 'serial' || port.transport === 'tcp') {
    return {
      kind: 'unknown-adapter',
      driverIds: [],
      message: `${name} (${id}): any serial device may be behind it; choose its driver by hand.`,
    };
  }
  return { kind: 'none', driverIds: [], message: `${name} (${id}) is not a device POC Hub knows.` };
}

function orList(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1] ?? ''}`;
}
