import { Cp2110ByteLink } from '../../families/cp2110/index.ts';
import { ispcSimulator } from '../../families/isens/index.ts';

/**
 * The CareSens N's side behind its CP2110 (PROTOCOL.md): the device speaks bytes through the same
 * bridge layer as the driver; scenarios in drivers/families/isens/simulator.ts.
 */
export const simulator = ispcSimulator((link) => {
  const bytes = new Cp2110ByteLink(link);
  return { bytes, release: () => bytes.close() };
});
