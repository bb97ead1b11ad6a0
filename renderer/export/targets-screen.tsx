import { useState } from 'react';
import { TARGET_KINDS, type ExportTargetView, type TargetKind } from '../../shared/export/targets.ts';
import { errorText } from '../format/words.ts';
import { useQuery } from '../history/use-query.ts';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';
import { TargetForm, type TargetFormProps } from './target-form.tsx';
import { TargetList } from './target-list.tsx';
import { KIND_TEXT } from './words.ts';

interface TargetTestMessage {
  readonly name: string;
  readonly ok: boolean;
  readonly message: string;
}

/** Export settings: the targets, a form to add or change one (admin), and a connection test. */
export function TargetsScreen(): React.JSX.Element {
  const role = useHub((s) => s.state?.operator?.role);
  if (role !== 'admin' && role !== 'biomed') {
    return (
      <section className="panel" aria-labelledby="targets-title">
        <h2 id="targets-title" className="panel-title">
          Export settings
        </h2>
        <p className="empty">Export settings are for administrators and biomedical engineers.</p>
      </section>
    );
  }
  return <Targets mayEdit={role === 'admin'} />;
}

function Targets({ mayEdit }: { mayEdit: boolean }): React.JSX.Element {
  const store = usePageStateStore();
  const [tick, setTick] = useState(0);
  const list = useQuery('listExportTargets', {}, [tick]);
  const [editing, setEditing] = useState<TargetFormProps['editing']>();
  // A new key per opening, so the form starts from the target as saved every time.
  const [formKey, setFormKey] = useState(0);
  const [testing, setTesting] = useState<string>();
  const [result, setResult] = useState<TargetTestMessage>();
  const targets = list.status === 'ok' ? list.value : [];

  const open = (next: TargetFormProps['editing']): void => {
    setEditing(next);
    setFormKey((k) => k + 1);
  };

  const test = async (view: ExportTargetView): Promise<void> => {
    setTesting(view.target.id);
    setResult(undefined);
    const answer = await store.call('testExportTarget', { targetId: view.target.id });
    setTesting(undefined);
    setResult(answer.ok ? { name: view.target.name, ...answer.value } : { name: view.target.name, ok: false, message: errorText(answer.error) });
  };

  return (
    <section className="panel" aria-labelledby="targets-title">
      <h2 id="targets-title" className="panel-title">
        Export settings
      </h2>
      <p className="panel-hint">
        {mayEdit ? 'Where confirmed readings are sent. Test connection checks the saved settings without sending anything.' : 'Only an administrator can change export targets; you can test them.'}
      </p>
      {list.status === 'error' && <p className="form-error">{errorText(list.error)}</p>}
      {list.status === 'loading' && <p className="empty">Loading…</p>}
      {list.status === 'ok' && targets.length === 0 && <p className="empty">No export targets yet: confirmed readings are kept here only.</p>}
      {targets.length > 0 && <TargetList targets={targets} mayEdit={mayEdit} testing={testing} onEdit={(view) => open({ view })} onTest={(view) => void test(view)} />}
      <p className={`target-test-result${result ? (result.ok ? ' target-test-result--ok' : ' target-test-result--failed') : ''}`} aria-live="polite" data-testid="target-test-result" data-ok={result?.ok}>
        {testing !== undefined && 'Testing the connection…'}
        {result && `${result.ok ? '✓ Connection OK' : '⚠ Connection failed'} (${result.name}): ${result.message}`}
      </p>
      {mayEdit && (
        <div className="form-actions">
          {TARGET_KINDS.map((kind: TargetKind) => (
            <button key={kind} type="button" className="button" data-testid={`target-add-${kind}`} onClick={() => open({ kind })}>
              Add {KIND_TEXT[kind]} target
            </button>
          ))}
        </div>
      )}
      {mayEdit && editing && (
        <TargetForm
          key={formKey}
          editing={editing}
          takenIds={targets.map((v) => v.target.id)}
          onSaved={() => {
            setEditing(undefined);
            setTick((t) => t + 1);
          }}
          onCancel={() => setEditing(undefined)}
        />
      )}
    </section>
  );
}
