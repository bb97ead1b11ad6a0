import { ispcSimulator } from '../../families/isens/index.ts';

/** The meter on its serial cable: the scenarios of drivers/families/isens/simulator.ts, bytes as they are. */
export const simulator = ispcSimulator((link) => ({ bytes: link, release: async () => undefined }));
