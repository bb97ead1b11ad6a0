import { useState } from 'react';
import type { ReviewItem } from '../../shared/api/model.ts';
import { errorText, mrnText, patientText } from '../format/words.ts';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';

/**
 * What a shared device (a urine analyzer) says of an unassigned result: the sample id it carries
 * and, when that id is the MRN of a patient on file, the proposal with its Accept button — enabled
 * only while that patient is selected (docs/architecture.md §8, "Device roles").
 */
export function ProposalNote({ item }: { item: ReviewItem }): React.JSX.Element | null {
  const sampleId = item.reading.context?.sampleId;
  if (item.deviceRole !== 'shared' || item.patient !== undefined || sampleId === undefined) return null;
  return <SharedDeviceNote item={item} sampleId={sampleId} />;
}

/** The note of an unassigned shared-device result that carries a sample id. */
function SharedDeviceNote({ item, sampleId }: { item: ReviewItem; sampleId: string }): React.JSX.Element {
  const store = usePageStateStore();
  const selected = useHub((s) => s.state?.patient);
  const [busy, setBusy] = useState(false);
  const proposed = item.proposedPatient;

  const accept = async (): Promise<void> => {
    setBusy(true);
    const result = await store.call('acceptProposal', { readingId: item.id });
    setBusy(false);
    if (!result.ok) return store.notify(errorText(result.error), 'error');
    store.applyItems([result.value]);
    const to = result.value.patient;
    store.notify(`Assigned to ${to ? patientText(to) : 'the proposed patient'}, as the analyzer proposed.`);
  };

  return (
    <div className="proposal-note" data-testid={`proposal-${item.id}`} data-proposed={proposed?.mrn ?? ''}>
      <span>
        Sample ID on the device: <strong data-testid={`sample-id-${item.id}`}>{sampleId}</strong>
      </span>
      {proposed ? (
        <>
          <span className="tag tag--proposal">Proposed: {patientText(proposed)}</span>
          <button
            type="button"
            className="button"
            data-testid={`accept-proposal-${item.id}`}
            disabled={busy || selected?.mrn !== proposed.mrn}
            title={selected?.mrn === proposed.mrn ? undefined : 'Select this patient first'}
            onClick={() => void accept()}
          >
            Accept for {mrnText(proposed.mrn)}
          </button>
          {selected?.mrn !== proposed.mrn && <span className="form-hint">Select {mrnText(proposed.mrn)} to accept.</span>}
        </>
      ) : (
        <span className="form-hint">No patient on file with this ID: match it by hand.</span>
      )}
    </div>
  );
}
