/** The driver's one export for the registry (drivers/index.ts). */
export { lifescanOnetouchUltraeasyDriver } from './driver.ts';
