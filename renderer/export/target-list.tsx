import type { ExportTarget, ExportTargetView } from '../../shared/export/targets.ts';
import { formatInstant } from '../format/words.ts';
import { KIND_TEXT } from './words.ts';

/** Where a target sends, in one line. */
function destinationText(t: ExportTarget): string {
  switch (t.kind) {
    case 'fhir':
      return `${t.baseUrl} (authentication: ${t.auth.type})`;
    case 'hl7':
      return `${t.host}:${t.port} (${t.profile})`;
    case 'file':
      return `${t.directory} (${t.format})`;
    default:
      return t satisfies never;
  }
}

interface TargetListProps {
  readonly targets: readonly ExportTargetView[];
  /** Admins change targets; biomed only looks and tests. */
  readonly mayEdit: boolean;
  readonly testing: string | undefined;
  readonly onEdit: (view: ExportTargetView) => void;
  readonly onTest: (view: ExportTargetView) => void;
}

/** The export targets as saved, each with Test connection (and Change for admins). */
export function TargetList({ targets, mayEdit, testing, onEdit, onTest }: TargetListProps): React.JSX.Element {
  return (
    <table className="table">
      <caption className="visually-hidden">Export targets</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Kind</th>
          <th scope="col">Sends to</th>
          <th scope="col">Enabled</th>
          <th scope="col">Token</th>
          <th scope="col">Changed</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {targets.map(({ target: t, hasSecret, updatedAt }) => (
          <tr key={t.id} data-testid={`target-${t.id}`} data-enabled={t.enabled}>
            <td>
              {t.name}
              <div className="cell-note">{t.id}</div>
            </td>
            <td>{KIND_TEXT[t.kind]}</td>
            <td className="cell-details">{destinationText(t)}</td>
            <td>{t.enabled ? 'Yes' : <strong>No: not sending</strong>}</td>
            <td>{hasSecret ? 'Stored' : '—'}</td>
            <td className="cell-time">{formatInstant(updatedAt)}</td>
            <td>
              <div className="outbox-actions">
                {mayEdit && (
                  <button type="button" className="button" data-testid={`target-edit-${t.id}`} aria-label={`Change ${t.name}`} onClick={() => onEdit({ target: t, hasSecret, updatedAt })}>
                    Change
                  </button>
                )}
                <button
                  type="button"
                  className="button"
                  data-testid={`target-test-${t.id}`}
                  aria-label={`Test connection to ${t.name}`}
                  disabled={testing !== undefined}
                  onClick={() => onTest({ target: t, hasSecret, updatedAt })}
                >
                  {testing === t.id ? 'Testing…' : 'Test connection'}
                </button>
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
