/** The driver's one export for the registry (drivers/index.ts). */
export { arkrayGlucocardExpressionDriver } from './driver.ts';
