/** The driver's one export for the registry (drivers/index.ts). */
export { rocheAccuChekMobileDriver } from './driver.ts';
