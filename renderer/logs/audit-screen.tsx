import { useState } from 'react';
import type { MethodOutput } from '../../shared/api/contract.ts';
import { useQuery } from '../history/use-query.ts';
import { errorText, formatInstant } from '../format/words.ts';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';

/** How many audit rows the screen loads (the contract allows up to 1,000). */
const AUDIT_ROWS = 500;

function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

/** The append-only audit log, and for admin and biomed the hash-chain check. */
export function AuditScreen(): React.JSX.Element {
  const store = usePageStateStore();
  const version = useHub((s) => s.reviewVersion);
  const state = useHub((s) => s.state);
  const audit = useQuery('listAudit', { limit: AUDIT_ROWS }, [version, state?.patient?.mrn, state?.operator?.id]);
  const [check, setCheck] = useState<MethodOutput<'verifyAudit'> | string>();
  const mayVerify = state?.operator?.role === 'admin' || state?.operator?.role === 'biomed';

  const verify = async (): Promise<void> => {
    const result = await store.call('verifyAudit', {});
    setCheck(result.ok ? result.value : errorText(result.error));
  };

  return (
    <section className="panel" aria-labelledby="audit-title">
      <h2 id="audit-title" className="panel-title">
        Audit log
      </h2>
      {mayVerify && (
        <div className="form-actions">
          <button type="button" className="button" data-testid="audit-verify" onClick={() => void verify()}>
            Check the audit chain
          </button>
          <span className="audit-check" aria-live="polite" data-testid="audit-verify-result">
            {typeof check === 'string' ? check : check ? `${check.ok ? 'Intact' : 'BROKEN'}: ${check.message}` : ''}
          </span>
        </div>
      )}
      {audit.status === 'error' && <p className="form-error">{errorText(audit.error)}</p>}
      {audit.status === 'ok' && (
        <table className="table">
          <caption className="visually-hidden">Audit log, as the hub returns it</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time</th>
              <th scope="col">Operator</th>
              <th scope="col">Action</th>
              <th scope="col">Subject</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {audit.value.map((row) => (
              <tr key={row.seq} data-testid={`audit-${row.seq}`} data-action={row.action}>
                <td>{row.seq}</td>
                <td className="cell-time">{formatInstant(row.at, true)}</td>
                <td>{row.operator ?? '—'}</td>
                <td>{row.action}</td>
                <td>{row.subject ?? '—'}</td>
                <td className="cell-details">{detailsText(row.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
