/** The driver's one export for the registry (drivers/devices/index.ts). */
export { aconMissionU120Driver } from './driver.ts';
