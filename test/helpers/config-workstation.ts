import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { DRIVERS } from '../../drivers/index.ts';
import { ConfigService } from '../../main/config/config-service.ts';
import type { HubDatabase } from '../../main/store/hub-database.ts';
import { openStore } from '../../main/store/open-store.ts';
import { HubWorkflow } from '../../main/workflow/hub-workflow.ts';
import { tempDir } from './store-fixtures.ts';

/** One workstation of a configuration test: its own store, its workflow and the configuration service over both. */
export interface ConfigWorkstation {
  store: HubDatabase;
  workflow: HubWorkflow;
  config: ConfigService;
}

/**
 * Call once at the top of a configuration test file: each test gets a temp folder, and
 * `workstation(name)` opens a store `<name>.sqlite` in it with the real drivers' manifests; the
 * stores are closed and the folder removed after each test.
 */
export function configWorkstations(): (name: string) => ConfigWorkstation {
  let tmp: ReturnType<typeof tempDir> | undefined;
  const opened: HubDatabase[] = [];
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => {
    for (const s of opened.splice(0)) s.close();
    tmp?.cleanup();
  });
  return (name) => {
    if (!tmp) throw new Error('configWorkstations: a workstation is opened inside a test');
    const store = openStore(join(tmp.dir, `${name}.sqlite`));
    opened.push(store);
    const workflow = new HubWorkflow(store, name);
    const config = new ConfigService({ manifests: DRIVERS.map((d) => d.manifest), tables: store, audit: (...a) => workflow.audit(...a), workstation: name });
    return { store, workflow, config };
  };
}
