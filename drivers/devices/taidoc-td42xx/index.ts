/** The driver's one export for the registry (drivers/devices/index.ts). */
export { taidocTd42xxDriver } from './driver.ts';
