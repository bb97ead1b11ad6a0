/** The driver's one export for the registry (drivers/index.ts). */
export { arkrayRelionPrimeDriver } from './driver.ts';
