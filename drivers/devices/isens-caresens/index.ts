/** The driver's one export for the registry (drivers/devices/index.ts). */
export { isensCaresensDriver } from './driver.ts';
