import { useEffect, useState } from 'react';
import type { ApiError, OutboxRow, OutboxSummary } from '../../shared/api/model.ts';
import { OUTBOX_STATES, type OutboxState } from '../../shared/export/targets.ts';
import { errorText, mrnText } from '../format/words.ts';
import { useQuery } from '../history/use-query.ts';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';
import { OutboxDetailsDialog } from './outbox-details.tsx';
import { OutboxFilter } from './outbox-filter.tsx';
import { OutboxTable } from './outbox-table.tsx';
import { OutboxTargetCard } from './outbox-target-card.tsx';
import { RequeueDialog } from './requeue-dialog.tsx';
import { useThrottled } from './use-throttled.ts';
import { exportsText, valuesText } from './words.ts';

/** How many rows the table loads (the contract allows up to 1,000). */
const OUTBOX_ROWS = 500;

/** The rows reload at most this often while events arrive (the counts follow every event). */
const OUTBOX_RELOAD_MS = 1_000;

const DEFAULT_SHOWN: ReadonlySet<OutboxState> = new Set(['failed', 'dead']);

/**
 * The export outbox: per target how many readings are waiting, sent, failing or given up, and
 * the rows that need a person, with Retry (failed), Requeue (dead, admin) and every attempt.
 */
export function OutboxScreen(): React.JSX.Element {
  const store = usePageStateStore();
  const summary = useHub((s) => s.outbox);
  const version = useThrottled(
    useHub((s) => s.outboxVersion),
    OUTBOX_RELOAD_MS,
  );
  const mayRequeue = useHub((s) => s.state?.operator?.role === 'admin');
  const [shown, setShown] = useState(DEFAULT_SHOWN);
  const [tick, setTick] = useState(0);
  const [details, setDetails] = useState<OutboxRow>();
  const [requeue, setRequeue] = useState<OutboxRow>();
  // Always in the contract's order, so toggling back and forth asks the same question.
  const states = OUTBOX_STATES.filter((s) => shown.has(s));
  // With no rows wanted, still ask for the counts (one row is the least the query returns).
  const outbox = useQuery('getOutbox', states.length > 0 ? { states, limit: OUTBOX_ROWS } : { states: ['dead'], limit: 1 }, [version, tick]);
  // The previous answer stays while the next loads: hide rows of states just switched off.
  const rows = outbox.status === 'ok' ? outbox.value.rows.filter((r) => shown.has(r.state)) : [];

  // Share the answer's counts with the nav badge, unless an event overtook the answer. An answer
  // arriving while `version` is current was asked at this version (older ones are dropped).
  useEffect(() => {
    if (outbox.status === 'ok') store.noteOutbox(outbox.value.summary, version);
    // Only a new answer is news; a new version alone means one is on its way.
  }, [store, outbox]);

  const refresh = (): void => setTick((t) => t + 1);

  const retryRow = async (row: OutboxRow): Promise<void> => {
    const result = await store.call('retryExport', { ids: [row.id] });
    if (!result.ok) return store.notifyError(result.error);
    if (result.value.count > 0) store.notify(`Sending again now: ${valuesText(row.summary)} for ${mrnText(row.patientMrn)} to ${row.targetName}.`);
    else store.notify('Nothing to retry: that export is no longer failed.', 'warn');
    refresh();
  };

  const retryTarget = async (target: OutboxSummary): Promise<void> => {
    const result = await store.call('retryExport', { targetId: target.targetId });
    if (!result.ok) return store.notifyError(result.error);
    if (result.value.count > 0) store.notify(`Sending ${exportsText(result.value.count)} to ${target.targetName} again now.`);
    else store.notify(`Nothing to retry for ${target.targetName}: no failed exports.`, 'warn');
    refresh();
  };

  const confirmRequeue = async (row: OutboxRow): Promise<ApiError | undefined> => {
    const result = await store.call('requeueExport', { ids: [row.id] });
    if (!result.ok) return result.error;
    setRequeue(undefined);
    if (result.value.count > 0) store.notify(`Requeued: ${valuesText(row.summary)} for ${mrnText(row.patientMrn)} will be built again and sent to ${row.targetName}.`);
    else store.notify('Nothing requeued: that export is no longer waiting for a person.', 'warn');
    refresh();
    return undefined;
  };

  return (
    <section className="panel" aria-labelledby="outbox-title">
      <h2 id="outbox-title" className="panel-title">
        Outbox
      </h2>
      <p className="panel-hint">Confirmed readings on their way to the health record. Failed exports are retried on their own; those not sent need a person.</p>
      {outbox.status === 'error' && <p className="form-error">{errorText(outbox.error)}</p>}
      {outbox.status === 'loading' && summary.length === 0 && <p className="empty">Loading…</p>}
      {outbox.status === 'ok' && summary.length === 0 && (
        <p className="empty">No export targets are set up. An administrator adds them under Export settings.</p>
      )}
      {summary.length > 0 && (
        <div className="outbox-cards">
          {summary.map((s) => (
            <OutboxTargetCard key={s.targetId} summary={s} onRetry={() => void retryTarget(s)} />
          ))}
        </div>
      )}
      <h3 className="outbox-rows-title">Exports</h3>
      <OutboxFilter shown={shown} onChange={setShown} />
      {states.length === 0 && <p className="empty">Choose which exports to show.</p>}
      {states.length > 0 && outbox.status === 'ok' && rows.length === 0 && (
        <p className="empty" data-testid="outbox-empty">
          No exports in the chosen states.
        </p>
      )}
      {rows.length > 0 && <OutboxTable rows={rows} mayRequeue={mayRequeue} onRetry={(r) => void retryRow(r)} onRequeue={setRequeue} onDetails={setDetails} />}
      {details && <OutboxDetailsDialog row={details} version={version + tick} onClose={() => setDetails(undefined)} />}
      {requeue && <RequeueDialog row={requeue} onConfirm={() => confirmRequeue(requeue)} onCancel={() => setRequeue(undefined)} />}
    </section>
  );
}
