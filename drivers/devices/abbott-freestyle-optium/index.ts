/** The driver's one export for the registry (drivers/index.ts). */
export { abbottFreestyleOptiumDriver } from './driver.ts';
