/** The driver's one export for the registry (drivers/devices/index.ts). */
export { sdCodefreeDriver } from './driver.ts';
