/** The driver's one export for the registry (drivers/devices/index.ts). */
export { mindrayHl7Driver } from './driver.ts';
