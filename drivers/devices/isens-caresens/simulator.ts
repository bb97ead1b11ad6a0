import { ispcSimulator } from '../../families/isens/index.ts';
import { ispcBytes } from './links.ts';

/**
 * The meter's side (PROTOCOL.md): it speaks bytes through the same link layer as the driver,
 * chosen the same way — bare on a serial link, behind the CP2110 on HID, the Shine Connex's own
 * reports on HID with its USB ids; scenarios in drivers/families/isens/simulator.ts.
 */
export const simulator = ispcSimulator((link) => ispcBytes(link, 'device'));
