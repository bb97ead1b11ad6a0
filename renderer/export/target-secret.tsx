import { INPUT_LIMITS } from '../../shared/api/input-limits.ts';
import { LimitNote } from '../components/limit-note.tsx';

export interface SecretState {
  /** What was typed; sent only when not empty. */
  readonly token: string;
  /** Remove the stored token (sent as `secret: null`). */
  readonly remove: boolean;
}

/**
 * The bearer token, write-only: the hub never sends it back, only whether one is stored. Empty
 * keeps the stored token; the checkbox removes it.
 */
export function SecretField({ hasSecret, bearer, value, onChange }: { hasSecret: boolean; bearer: boolean; value: SecretState; onChange: (next: SecretState) => void }): React.JSX.Element {
  return (
    <fieldset className="target-fieldset">
      <legend>Bearer token</legend>
      {bearer && (
        <>
          <label htmlFor="target-secret">{hasSecret ? 'New token' : 'Token'}</label>
          <input
            id="target-secret"
            data-testid="target-secret"
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            value={value.token}
            disabled={value.remove}
            aria-describedby="target-secret-hint target-secret-limit"
            onChange={(e) => onChange({ ...value, token: e.target.value })}
          />
          <LimitNote id="target-secret-limit" field="Token" value={value.token} max={INPUT_LIMITS.secret} trim={false} testId="target-secret-limit" />
          <p id="target-secret-hint" className="form-hint">
            {hasSecret ? 'A token is stored. Leave empty to keep the stored token.' : 'No token is stored yet.'} It is never shown again after saving.
          </p>
        </>
      )}
      {hasSecret && (
        <div className="checkbox">
          <input
            id="target-secret-remove"
            type="checkbox"
            data-testid="target-secret-remove"
            checked={value.remove}
            onChange={(e) => onChange({ token: '', remove: e.target.checked })}
          />
          <label htmlFor="target-secret-remove">Remove the stored token</label>
        </div>
      )}
    </fieldset>
  );
}
