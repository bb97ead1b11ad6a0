/** The driver's one export for the registry (drivers/index.ts). */
export { ascensiaContourNextDriver } from './driver.ts';
