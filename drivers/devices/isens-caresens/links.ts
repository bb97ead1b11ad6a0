import type { Link, UsbIds } from '../../kit/index.ts';
import { Cp2110ByteLink } from '../../families/cp2110/index.ts';
import { ShineHidByteLink } from '../../families/isens/index.ts';

/** The GLUCOCARD Shine Connex / Express: plain HID, not a CP2110 (PROTOCOL.md §1). */
export const SHINE_HID: UsbIds = { vendorId: 0x0483, productId: 0xa18b };
/** The CareSens N cable: a CP2110 with i-SENS's product id. */
export const CARESENS_CP2110: UsbIds = { vendorId: 0x10c4, productId: 0x8a32 };

/**
 * The three ways an iSPc meter is reached (PROTOCOL.md §2): `serial` (FTDI cable: the bytes as
 * they are), `cp2110` (HID-to-UART bridge: data reports numbered by their length), `hid` (the
 * Shine Connex's own HID: report id 1 and a count). A byte link is serial; a HID link is the Shine
 * by its USB ids, else the CP2110 (the manifest's primary link, and what a link without ids is).
 */
export type IspcLinkKind = 'serial' | 'cp2110' | 'hid';

export function ispcLinkOf(link: Pick<Link, 'mode' | 'usb'>): IspcLinkKind {
  if (link.mode === 'bytes') return 'serial';
  return link.usb?.vendorId === SHINE_HID.vendorId && link.usb.productId === SHINE_HID.productId ? 'hid' : 'cp2110';
}

/** The meter's byte stream over `link`, from the host's side or the meter's (`side: 'device'`, the simulator). */
export function ispcBytes(link: Link, side: 'host' | 'device', onBadReport?: (reason: string, report: Uint8Array) => void): { bytes: Link; release: () => Promise<void> } {
  const kind = ispcLinkOf(link);
  if (kind === 'serial') return { bytes: link, release: async () => undefined };
  const bytes = kind === 'hid' ? new ShineHidByteLink(link, side) : new Cp2110ByteLink(link, onBadReport);
  return { bytes, release: () => bytes.close() };
}
