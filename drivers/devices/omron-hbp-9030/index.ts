/** The driver's one export for the registry (drivers/devices/index.ts). */
export { omronHbp9030Driver } from './driver.ts';
