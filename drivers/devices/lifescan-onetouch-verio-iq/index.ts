/** The driver's one export for the registry (drivers/index.ts). */
export { lifescanOnetouchVerioIqDriver } from './driver.ts';
