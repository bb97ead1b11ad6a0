/** The driver's one export for the registry (drivers/index.ts). */
export { abbottFreestyleInsulinxDriver } from './driver.ts';
