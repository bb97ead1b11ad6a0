/** The driver's one export for the registry (drivers/index.ts). */
export { siemensClinitekStatusDriver } from './driver.ts';
