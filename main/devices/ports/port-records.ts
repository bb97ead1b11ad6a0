import type { PortRecord } from '../../store/ports-repo.ts';
import { hidPortId, serialPortId, type SeenPort } from '../discovery/listers.ts';
import { usbPortId } from '../discovery/usb-lister.ts';

/** The USB ids of a listed port as stored. */
export function usbOf(port: SeenPort): PortRecord['usb'] {
  if (!port.usb) return undefined;
  return { vendorId: port.usb.vendorId, productId: port.usb.productId, ...(port.usb.serialNumber ? { serialNumber: port.usb.serialNumber } : {}) };
}

/** The record of a port discovery lists, without an assignment. */
export function seenRecord(port: SeenPort): PortRecord {
  const usb = usbOf(port);
  const id = port.transport === 'hid' ? hidPortId(port.path) : port.transport === 'usb' ? usbPortId(port.path) : serialPortId(port.path);
  return { id, transport: port.transport, path: port.path, origin: 'discovered', ...(usb ? { usb } : {}) };
}
