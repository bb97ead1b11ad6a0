/** The driver's one export for the registry (drivers/devices/index.ts). */
export { contecCms50Driver } from './driver.ts';
