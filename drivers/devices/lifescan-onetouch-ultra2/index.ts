/** The driver's one export for the registry (drivers/index.ts). */
export { lifescanOnetouchUltra2Driver } from './driver.ts';
