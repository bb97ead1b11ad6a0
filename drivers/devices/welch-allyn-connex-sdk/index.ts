/** The driver's one export for the registry (drivers/devices/index.ts). */
export { welchAllynConnexSdkDriver } from './driver.ts';
