/** The driver's one export for the registry (drivers/devices/index.ts). */
export { noninOnyx9560Driver } from './driver.ts';
