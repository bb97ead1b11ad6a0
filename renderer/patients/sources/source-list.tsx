import type { PatientSourceView } from '../../../shared/patients/patient-lookup.ts';
import { formatInstant } from '../../format/words.ts';
import { SOURCE_KIND_TEXT, sourceAddressText } from './source-words.ts';

interface SourceListProps {
  readonly sources: readonly PatientSourceView[];
  /** Admins change and remove sources; biomed only looks and tests. */
  readonly mayEdit: boolean;
  readonly testing: string | undefined;
  readonly onEdit: (view: PatientSourceView) => void;
  readonly onTest: (view: PatientSourceView) => void;
  readonly onRemove: (view: PatientSourceView) => void;
}

/** The patient sources as saved: whether a token is stored, never the token. */
export function SourceList({ sources, mayEdit, testing, onEdit, onTest, onRemove }: SourceListProps): React.JSX.Element {
  return (
    <table className="table">
      <caption className="visually-hidden">Patient sources</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Kind</th>
          <th scope="col">Address</th>
          <th scope="col">Location</th>
          <th scope="col">Enabled</th>
          <th scope="col">Token</th>
          <th scope="col">Changed</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {sources.map((view) => {
          const s = view.source;
          return (
            <tr key={s.id} data-testid={`source-${s.id}`} data-enabled={s.enabled}>
              <td>
                {s.name}
                <div className="cell-note">{s.id}</div>
              </td>
              <td>{SOURCE_KIND_TEXT[s.kind]}</td>
              <td className="cell-details">{sourceAddressText(s)}</td>
              <td>{s.kind === 'fhir' && s.location ? s.location : '—'}</td>
              <td>{s.enabled ? 'Yes' : <strong>No: not asked</strong>}</td>
              <td>{view.hasSecret ? 'Token stored' : '—'}</td>
              <td className="cell-time">{formatInstant(view.updatedAt)}</td>
              <td>
                <div className="outbox-actions">
                  {mayEdit && (
                    <button type="button" className="button" data-testid={`source-edit-${s.id}`} aria-label={`Change ${s.name}`} onClick={() => onEdit(view)}>
                      Change
                    </button>
                  )}
                  <button
                    type="button"
                    className="button"
                    data-testid={`source-test-${s.id}`}
                    aria-label={`Test connection to ${s.name}`}
                    disabled={testing !== undefined}
                    onClick={() => onTest(view)}
                  >
                    {testing === s.id ? 'Testing…' : 'Test connection'}
                  </button>
                  {mayEdit && (
                    <button type="button" className="button" data-testid={`source-remove-${s.id}`} aria-label={`Remove ${s.name}`} onClick={() => onRemove(view)}>
                      Remove
                    </button>
                  )}
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
