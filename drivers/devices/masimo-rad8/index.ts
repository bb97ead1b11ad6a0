/** The driver's one export for the registry (drivers/index.ts). */
export { masimoRad8Driver } from './driver.ts';
