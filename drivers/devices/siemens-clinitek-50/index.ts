/** The driver's one export for the registry (drivers/index.ts). */
export { siemensClinitek50Driver } from './driver.ts';
