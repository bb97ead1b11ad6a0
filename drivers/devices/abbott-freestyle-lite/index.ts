/** The driver's one export for the registry (drivers/index.ts). */
export { abbottFreestyleLiteDriver } from './driver.ts';
