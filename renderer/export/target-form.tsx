import { useEffect, useRef, useState } from 'react';
import type { ExportTargetView } from '../../shared/export/targets.ts';
import { errorText } from '../format/words.ts';
import { usePageStateStore } from '../state/use-hub.tsx';
import { checkDraft, draftOf, newDraft, type TargetDraft } from './target-draft.ts';
import { INPUT_LIMITS } from '../../shared/api/input-limits.ts';
import { TextField, msHint, type SetField } from './target-fields.tsx';
import { FhirFields, FileFields, Hl7Fields } from './target-kind-fields.tsx';
import { SecretField, type SecretState } from './target-secret.tsx';
import { KIND_TEXT } from './words.ts';

export interface TargetFormProps {
  /** The saved target being changed, or the kind of a new one. */
  readonly editing: { readonly view: ExportTargetView } | { readonly kind: TargetDraft['kind'] };
  /** Ids already in use, so a new target cannot silently replace one. */
  readonly takenIds: readonly string[];
  readonly onSaved: (view: ExportTargetView) => void;
  readonly onCancel: () => void;
}

/** Add or change one export target (admin). Checked here with the shared schema, then by the hub. */
export function TargetForm({ editing, takenIds, onSaved, onCancel }: TargetFormProps): React.JSX.Element {
  const store = usePageStateStore();
  const view = 'view' in editing ? editing.view : undefined;
  const [draft, setDraft] = useState(() => (view ? draftOf(view.target) : newDraft('kind' in editing ? editing.kind : 'fhir')));
  const [secret, setSecret] = useState<SecretState>({ token: '', remove: false });
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const set: SetField = (field, value) => setDraft((d) => ({ ...d, [field]: value }));
  const p = { draft, set };
  const hasSecret = view?.hasSecret ?? false;
  const bearer = draft.kind === 'fhir' && draft.authType === 'bearer';

  // Opened from a button above: take the keyboard to the first field the person can change.
  useEffect(() => formRef.current?.querySelector<HTMLElement>('input:not([disabled]), select')?.focus(), []);

  const save = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    const check = checkDraft(draft);
    if (!check.ok) return setProblems(check.problems);
    if (!view && takenIds.includes(check.target.id)) return setProblems([`Id: a target "${check.target.id}" exists already; edit it instead.`]);
    // Write-only: sent only when typed (or removed); absent keeps the stored token.
    const secretPart = secret.remove ? { secret: null } : bearer && secret.token !== '' ? { secret: secret.token } : {};
    setBusy(true);
    const result = await store.call('saveExportTarget', { target: check.target, ...secretPart });
    setBusy(false);
    if (!result.ok) return setProblems([errorText(result.error)]);
    setProblems([]);
    setSecret({ token: '', remove: false });
    store.notify(`Saved export target ${result.value.target.name}.`);
    onSaved(result.value);
  };

  return (
    <form ref={formRef} className="form target-form" onSubmit={(e) => void save(e)} noValidate aria-labelledby="target-form-title" data-testid="target-form">
      <h3 id="target-form-title">{view ? `Change ${view.target.name}` : `New ${KIND_TEXT[draft.kind]} target`}</h3>
      <fieldset className="target-fieldset">
        <legend>Target</legend>
        <TextField {...p} field="id" label="Id" max={INPUT_LIMITS.targetId} disabled={view !== undefined} hint="Lower-case letters, digits and dashes; it cannot change later." />
        <TextField {...p} field="name" label="Name" max={INPUT_LIMITS.targetName} hint="As people see it: “Sent to …”." />
        <div className="checkbox">
          <input id="target-field-enabled" type="checkbox" data-testid="target-field-enabled" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} />
          <label htmlFor="target-field-enabled">Enabled: send confirmed readings to this target</label>
        </div>
      </fieldset>
      {draft.kind === 'fhir' && <FhirFields {...p} />}
      {draft.kind === 'hl7' && <Hl7Fields {...p} />}
      {draft.kind === 'file' && <FileFields {...p} />}
      {draft.kind === 'fhir' && (bearer || hasSecret) && <SecretField hasSecret={hasSecret} bearer={bearer} value={secret} onChange={setSecret} />}
      <fieldset className="target-fieldset">
        <legend>Retries</legend>
        <TextField {...p} field="retryBaseMs" label="First retry wait (ms)" numeric hint={msHint(draft.retryBaseMs, 'Doubled after every failure.')} />
        <TextField {...p} field="retryMaxMs" label="Longest retry wait (ms)" numeric hint={msHint(draft.retryMaxMs, 'The wait never grows beyond this.')} />
      </fieldset>
      <div className="form-error" aria-live="assertive" data-testid="target-error">
        {problems.length === 1 && problems[0]}
        {problems.length > 1 && (
          <ul>
            {problems.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" data-testid="target-save" disabled={busy}>
          Save
        </button>
        <button type="button" className="button" data-testid="target-cancel" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
