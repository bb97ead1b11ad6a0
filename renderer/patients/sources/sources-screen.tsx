import { useState } from 'react';
import type { ApiError } from '../../../shared/api/model.ts';
import type { PatientSourceView } from '../../../shared/patients/patient-lookup.ts';
import { errorText } from '../../format/words.ts';
import { useQuery } from '../../history/use-query.ts';
import { useHub, usePageStateStore } from '../../state/use-hub.tsx';
import { RemoveSourceDialog } from './remove-source-dialog.tsx';
import { SourceForm, type SourceFormProps } from './source-form.tsx';
import { SourceList } from './source-list.tsx';
import type { SourceKind } from './source-draft.ts';
import { SOURCE_KIND_TEXT } from './source-words.ts';

const KINDS: readonly SourceKind[] = ['fhir', 'hl7-adt'];

/** Patient sources (docs/patient-sources.md): the list, a form to add or change one (admin), test, remove. */
export function SourcesScreen(): React.JSX.Element {
  const role = useHub((s) => s.state?.operator?.role);
  if (role !== 'admin' && role !== 'biomed') {
    return (
      <section className="panel" aria-labelledby="sources-title">
        <h2 id="sources-title" className="panel-title">
          Patient sources
        </h2>
        <p className="empty">Patient sources are for administrators and biomedical engineers.</p>
      </section>
    );
  }
  return <Sources mayEdit={role === 'admin'} />;
}

function Sources({ mayEdit }: { mayEdit: boolean }): React.JSX.Element {
  const store = usePageStateStore();
  const [tick, setTick] = useState(0);
  const list = useQuery('listPatientSources', {}, [tick]);
  const [editing, setEditing] = useState<SourceFormProps['editing']>();
  // A new key per opening, so the form starts from the source as saved every time.
  const [formKey, setFormKey] = useState(0);
  const [testing, setTesting] = useState<string>();
  const [result, setResult] = useState<{ name: string; ok: boolean; message: string }>();
  const [removing, setRemoving] = useState<PatientSourceView>();
  const sources = list.status === 'ok' ? list.value : [];

  const open = (next: SourceFormProps['editing']): void => {
    setEditing(next);
    setFormKey((k) => k + 1);
  };

  const test = async (view: PatientSourceView): Promise<void> => {
    setTesting(view.source.id);
    setResult(undefined);
    const answer = await store.call('testPatientSource', { sourceId: view.source.id });
    setTesting(undefined);
    setResult(answer.ok ? { name: view.source.name, ...answer.value } : { name: view.source.name, ok: false, message: errorText(answer.error) });
  };

  const remove = async (view: PatientSourceView): Promise<ApiError | undefined> => {
    const answer = await store.call('removePatientSource', { sourceId: view.source.id });
    if (!answer.ok) return answer.error;
    setRemoving(undefined);
    if (editing && 'view' in editing && editing.view.source.id === view.source.id) setEditing(undefined);
    store.notify(`Removed patient source ${view.source.name}.`);
    setTick((t) => t + 1);
    return undefined;
  };

  return (
    <section className="panel" aria-labelledby="sources-title">
      <h2 id="sources-title" className="panel-title">
        Patient sources
      </h2>
      <p className="panel-hint">
        {mayEdit
          ? 'Where the hub checks who a patient is: a FHIR server it asks, or an HL7 ADT feed the EHR sends. Test connection checks the saved settings.'
          : 'Only an administrator can change patient sources; you can test them.'}
      </p>
      {list.status === 'error' && <p className="form-error">{errorText(list.error)}</p>}
      {list.status === 'loading' && <p className="empty">Loading…</p>}
      {list.status === 'ok' && sources.length === 0 && <p className="empty">No patient sources yet: patients are checked against this workstation’s records only.</p>}
      {sources.length > 0 && <SourceList sources={sources} mayEdit={mayEdit} testing={testing} onEdit={(view) => open({ view })} onTest={(view) => void test(view)} onRemove={setRemoving} />}
      <p className={`target-test-result${result ? (result.ok ? ' target-test-result--ok' : ' target-test-result--failed') : ''}`} aria-live="polite" data-testid="source-test-result" data-ok={result?.ok}>
        {testing !== undefined && 'Testing the connection…'}
        {result && `${result.ok ? '✓ Connection OK' : '⚠ Connection failed'} (${result.name}): ${result.message}`}
      </p>
      {mayEdit && (
        <div className="form-actions">
          {KINDS.map((kind) => (
            <button key={kind} type="button" className="button" data-testid={`source-add-${kind}`} onClick={() => open({ kind })}>
              Add {SOURCE_KIND_TEXT[kind]} source
            </button>
          ))}
        </div>
      )}
      {mayEdit && editing && (
        <SourceForm
          key={formKey}
          editing={editing}
          takenIds={sources.map((v) => v.source.id)}
          onSaved={() => {
            setEditing(undefined);
            setTick((t) => t + 1);
          }}
          onCancel={() => setEditing(undefined)}
        />
      )}
      {removing && <RemoveSourceDialog view={removing} onConfirm={() => remove(removing)} onCancel={() => setRemoving(undefined)} />}
    </section>
  );
}
