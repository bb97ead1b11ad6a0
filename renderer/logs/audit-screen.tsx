import { useMemo, useState } from 'react';
import type { MethodOutput } from '../../shared/api/contract.ts';
import { useQuery } from '../history/use-query.ts';
import { auditSentence, type AuditLookup } from '../format/audit-words.ts';
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
  // Device events (every reading's arrival) outnumber people's actions on a busy cart: the log can
  // be narrowed to what people did, so a sign-in or a rejection is not pushed off the page.
  const [peopleOnly, setPeopleOnly] = useState(false);
  const audit = useQuery('listAudit', { limit: AUDIT_ROWS, who: peopleOnly ? 'people' : 'all' }, [version, state?.patient?.mrn, state?.operator?.id, peopleOnly]);
  const [check, setCheck] = useState<MethodOutput<'verifyAudit'> | string>();
  const pending = useHub((s) => s.pending);
  // Names for the MRNs and device keys the rows carry, from what this screen already knows.
  const lookup = useMemo<AuditLookup>(() => {
    const names = new Map<string, string>();
    for (const i of pending) if (i.patient?.name) names.set(i.patient.mrn, i.patient.name);
    if (state?.patient?.name) names.set(state.patient.mrn, state.patient.name);
    const devices = new Map<string, string>();
    for (const i of pending) devices.set(i.deviceKey, i.deviceLabel);
    for (const d of state?.devices ?? []) devices.set(d.key, d.label);
    return { patientName: (mrn) => names.get(mrn), deviceLabel: (key) => devices.get(key) };
  }, [pending, state]);
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
      <span className="checkbox">
        <input id="audit-people-only" type="checkbox" data-testid="audit-people-only" checked={peopleOnly} onChange={(e) => setPeopleOnly(e.target.checked)} />
        <label htmlFor="audit-people-only">Only what people did (hide device events such as arrivals)</label>
      </span>
      {audit.status === 'error' && <p className="form-error">{errorText(audit.error)}</p>}
      {audit.status === 'ok' && (
        <table className="table">
          <caption className="visually-hidden">Audit log, as the hub returns it</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time</th>
              <th scope="col">What happened</th>
            </tr>
          </thead>
          <tbody>
            {audit.value.map((row) => (
              <tr key={row.seq} data-testid={`audit-${row.seq}`} data-action={row.action}>
                <td>{row.seq}</td>
                <td className="cell-time">{formatInstant(row.at, true)}</td>
                <td>
                  <span className="audit-sentence" data-testid={`audit-sentence-${row.seq}`}>
                    {auditSentence(row, lookup)}
                  </span>
                  {/* The code and the stored details stay available for whoever checks the log. */}
                  <code className="audit-code" title={detailsText(row.details)}>
                    {row.action}
                    {row.subject ? ` · ${row.subject}` : ''}
                  </code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
