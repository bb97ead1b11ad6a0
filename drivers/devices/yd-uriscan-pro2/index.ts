/** The driver's one export for the registry (drivers/devices/index.ts). */
export { ydUriscanPro2Driver } from './driver.ts';
