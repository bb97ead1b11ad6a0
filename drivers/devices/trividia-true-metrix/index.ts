/** The driver's one export for the registry (drivers/index.ts). */
export { trividiaTrueMetrixDriver } from './driver.ts';
