import { useRef, useState } from 'react';
import { errorText } from '../format/words.ts';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';
import { readFileText, saveFile } from './download.ts';
import { countText } from './words.ts';

/** A workstation name as part of a file name (no path separators or spaces). */
function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'workstation';
}

/**
 * The workstation's configuration as one file: ports, drivers and their settings, export
 * targets (never secrets). Export for biomed and admins; import (applied whole, or refused
 * naming the field) for admins only.
 */
export function ConfigPanel({ onImported }: { onImported: () => void }): React.JSX.Element {
  const store = usePageStateStore();
  const workstation = useHub((s) => s.state?.workstation ?? 'workstation');
  const mayImport = useHub((s) => s.state?.operator?.role === 'admin');
  const file = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [summary, setSummary] = useState<string>();

  const exportFile = async (): Promise<void> => {
    const result = await store.call('exportConfig', {});
    if (!result.ok) return store.notifyError(result.error);
    const name = `pochub-config-${fileSafe(workstation)}.json`;
    saveFile(name, `${JSON.stringify(result.value, null, 2)}\n`, 'application/json');
    store.notify(`Saved the configuration as ${name}.`);
  };

  const importFile = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    const picked = file.current?.files?.[0];
    setSummary(undefined);
    if (!picked) return setError('Choose a configuration file.');
    setBusy(true);
    let config: unknown;
    try {
      config = JSON.parse(await readFileText(picked)) as unknown;
    } catch (err) {
      setBusy(false);
      return setError(`${picked.name} is not a configuration file (not JSON: ${err instanceof Error ? err.message : String(err)}).`);
    }
    const result = await store.call('importConfig', { config });
    setBusy(false);
    if (!result.ok) return setError(`Nothing was changed. ${errorText(result.error)}`);
    setError(undefined);
    const text = `Imported ${picked.name}: ${countText(result.value.ports, 'port')}, ${countText(result.value.exportTargets, 'export target')}.`;
    setSummary(text);
    store.notify(text);
    onImported();
  };

  return (
    <section className="panel" aria-labelledby="config-title">
      <h2 id="config-title" className="panel-title">
        Configuration file
      </h2>
      <p className="panel-hint">Set up one workstation, export its configuration and import it on the others. The file holds no passwords or tokens.</p>
      <div className="form-actions">
        <button type="button" className="button" data-testid="config-export" onClick={() => void exportFile()}>
          Export configuration
        </button>
      </div>
      {mayImport ? (
        <form className="form config-import" onSubmit={(e) => void importFile(e)} noValidate>
          <label htmlFor="config-import-file">Configuration file to import</label>
          <input id="config-import-file" ref={file} type="file" accept=".json,application/json" data-testid="config-import-file" aria-describedby="config-import-hint" />
          <p id="config-import-hint" className="form-hint">
            Applies the file’s ports, driver assignments and export targets to this workstation. A file with any mistake is refused as a whole, and nothing changes.
          </p>
          <div className="form-actions">
            <button type="submit" className="button button--primary" data-testid="config-import-submit" disabled={busy}>
              {busy ? 'Importing…' : 'Import'}
            </button>
          </div>
          <p className="form-error" aria-live="assertive" data-testid="config-import-error">
            {error}
          </p>
          <p className="config-summary" aria-live="polite" data-testid="config-import-summary">
            {summary}
          </p>
        </form>
      ) : (
        <p className="form-hint">Only an administrator can import a configuration file.</p>
      )}
    </section>
  );
}
