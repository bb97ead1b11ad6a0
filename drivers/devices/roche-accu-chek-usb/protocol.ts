import { ApduFramer, pmStores, type ConfigReport } from '../../families/ieee11073/index.ts';

/**
 * The Accu-Chek link layer (PROTOCOL.md §2): bare IEEE 11073-20601 APDUs on the PHDC bulk
 * endpoints, no preamble, no checksum; the family's framer reassembles them from any chunking.
 */
export function createApduFramer(): ApduFramer {
  return new ApduFramer();
}

/** The hub's EUI-64 in the association response; the meter accepts any value (PROTOCOL.md §3). */
export const HUB_SYSTEM_ID = Uint8Array.of(0x50, 0x4f, 0x43, 0x48, 0x55, 0x42, 0x00, 0x01);

/** A configuration the driver can read: it has a PM-store (PROTOCOL.md §3). */
export const usableConfig = (config: ConfigReport): boolean => pmStores(config).length > 0;
