import { useEffect, useRef, useState } from 'react';
import { INPUT_LIMITS } from '../../../shared/api/input-limits.ts';
import type { ApiError } from '../../../shared/api/model.ts';
import type { PatientSourceView } from '../../../shared/patients/patient-lookup.ts';
import { Field } from '../../components/field.tsx';
import { SecretField, type SecretState } from '../../export/target-secret.tsx';
import { msHint } from '../../export/target-fields.tsx';
import { errorText } from '../../format/words.ts';
import { usePageStateStore } from '../../state/use-hub.tsx';
import { checkSourceDraft, fieldOfPath, newSourceDraft, sourceDraftOf, type FieldErrors, type SourceDraft, type SourceField, type SourceKind } from './source-draft.ts';
import { SOURCE_KIND_TEXT } from './source-words.ts';

export interface SourceFormProps {
  /** The saved source being changed, or the kind of a new one. */
  readonly editing: { readonly view: PatientSourceView } | { readonly kind: SourceKind };
  /** Ids already in use, so a new source cannot silently replace one. */
  readonly takenIds: readonly string[];
  readonly onSaved: (view: PatientSourceView) => void;
  readonly onCancel: () => void;
}

/** The hub's refusal on the field it names (details.path), else for the whole form. */
function hubErrors(error: ApiError): FieldErrors {
  const path = error.details?.['path'];
  const field = typeof path === 'string' && path !== '' ? fieldOfPath(path.split('.')) : 'form';
  return { [field]: field === 'form' ? errorText(error) : error.message };
}

/** Add or change one patient source (admin): checked here with the shared schema, then by the hub. */
export function SourceForm({ editing, takenIds, onSaved, onCancel }: SourceFormProps): React.JSX.Element {
  const store = usePageStateStore();
  const view = 'view' in editing ? editing.view : undefined;
  const [draft, setDraft] = useState<SourceDraft>(() => (view ? sourceDraftOf(view.source) : newSourceDraft('kind' in editing ? editing.kind : 'fhir')));
  const [secret, setSecret] = useState<SecretState>({ token: '', remove: false });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const hasSecret = view?.hasSecret ?? false;
  const bearer = draft.kind === 'fhir' && draft.authType === 'bearer';
  // SMART keys are files on this workstation, set where paths are typed (CLI, configuration file).
  const smart = view?.source.kind === 'fhir' && view.source.auth.type === 'smart';

  useEffect(() => formRef.current?.querySelector<HTMLElement>('input:not([disabled]), select, textarea')?.focus(), []);
  // After a refusal, the keyboard goes to the first field refused (its message is read with it).
  // Centred, so its label is not hidden under the sticky header.
  useEffect(() => {
    const refused = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (!refused) return;
    refused.focus({ preventScroll: true });
    // jsdom has no layout, hence no scrollIntoView.
    if ('scrollIntoView' in refused) refused.scrollIntoView({ block: 'center' });
  }, [errors]);

  const field = (name: SourceField, label: string, more: { hint?: string; max?: number; numeric?: boolean; multiline?: boolean; disabled?: boolean } = {}): React.JSX.Element => (
    <Field id={`source-field-${name}`} label={label} value={String(draft[name])} error={errors[name]} onChange={(v) => setDraft((d) => ({ ...d, [name]: v }))} {...more} />
  );

  const save = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    const check = checkSourceDraft(draft, view?.source);
    if (!check.ok) return setErrors(check.errors);
    if (!view && takenIds.includes(check.source.id)) return setErrors({ id: `A source "${check.source.id}" exists already; change it instead.` });
    // Write-only: sent only when typed (or removed); absent keeps the stored token.
    const secretPart = secret.remove ? { secret: null } : bearer && secret.token !== '' ? { secret: secret.token } : {};
    setBusy(true);
    const result = await store.call('savePatientSource', { source: check.source, ...secretPart });
    setBusy(false);
    if (!result.ok) return setErrors(hubErrors(result.error));
    setErrors({});
    setSecret({ token: '', remove: false });
    store.notify(`Saved patient source ${result.value.source.name}.`);
    onSaved(result.value);
  };

  const count = Object.keys(errors).length;
  return (
    <form ref={formRef} className="form target-form" onSubmit={(e) => void save(e)} noValidate aria-labelledby="source-form-title" data-testid="source-form">
      <h3 id="source-form-title">{view ? `Change ${view.source.name}` : `New ${SOURCE_KIND_TEXT[draft.kind]} source`}</h3>
      <fieldset className="target-fieldset">
        <legend>Source</legend>
        {field('id', 'Id', { max: INPUT_LIMITS.targetId, disabled: view !== undefined, hint: 'Lower-case letters, digits and dashes; it cannot change later.' })}
        {field('name', 'Name', { max: INPUT_LIMITS.targetName, hint: 'As people see it: “Verified with …”.' })}
        <div className="checkbox">
          <input id="source-field-enabled" type="checkbox" data-testid="source-field-enabled" checked={draft.enabled} onChange={(e) => setDraft((d) => ({ ...d, enabled: e.target.checked }))} />
          <label htmlFor="source-field-enabled">Enabled: ask this source who a patient is</label>
        </div>
      </fieldset>
      {draft.kind === 'fhir' ? (
        <fieldset className="target-fieldset">
          <legend>FHIR server</legend>
          {field('baseUrl', 'FHIR base URL', { max: INPUT_LIMITS.url, hint: 'The FHIR R4 base address, e.g. https://ehr.example/fhir.' })}
          {field('identifierSystem', 'Patient identifier system (optional)', { max: INPUT_LIMITS.targetSystem, hint: 'The system of the EHR’s MRN, e.g. urn:oid:…; look-ups are qualified by it.' })}
          {field('location', 'Location (optional)', { hint: 'Today’s schedule is for this reference, e.g. Location/123.' })}
          {smart ? (
            <p className="form-hint" data-testid="source-auth-smart">
              Authentication: SMART Backend Services, set with <code>pochub patients set-source</code> or the configuration file; kept as saved.
            </p>
          ) : (
            <>
              <label htmlFor="source-field-authType">Authentication</label>
              <select id="source-field-authType" data-testid="source-field-authType" value={draft.authType} onChange={(e) => setDraft((d) => ({ ...d, authType: e.target.value === 'bearer' ? 'bearer' : 'none' }))}>
                <option value="none">None</option>
                <option value="bearer">Bearer token</option>
              </select>
            </>
          )}
          {field('timeoutMs', 'Timeout (ms)', { numeric: true, hint: msHint(draft.timeoutMs, 'How long to wait for the server.') })}
        </fieldset>
      ) : (
        <fieldset className="target-fieldset">
          <legend>HL7 ADT feed (MLLP)</legend>
          {field('listen', 'Listen address (host:port)', { hint: 'Where the EHR connects, e.g. 127.0.0.1:2576; loopback unless a ward interface is meant.' })}
          {field('senders', 'Allowed senders (optional)', { multiline: true, hint: 'One MSH-3^MSH-4 a line; empty accepts any sender.' })}
        </fieldset>
      )}
      {draft.kind === 'fhir' && (bearer || hasSecret) && <SecretField hasSecret={hasSecret} bearer={bearer} value={secret} onChange={setSecret} />}
      <div className="form-error" aria-live="assertive" data-testid="source-error">
        {errors.form ?? (count > 0 ? `Please check ${count === 1 ? 'the field marked' : `the ${count} fields marked`} above.` : '')}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" data-testid="source-save" disabled={busy}>
          Save
        </button>
        <button type="button" className="button" data-testid="source-cancel" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
