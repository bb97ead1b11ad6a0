/** The driver's one export for the registry (drivers/index.ts). */
export { abbottFreestyleNeoDriver } from './driver.ts';
