/** The driver's one export for the registry (drivers/index.ts). */
export { omronHem790itDriver } from './driver.ts';
