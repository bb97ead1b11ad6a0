import type { MethodInput } from '../../shared/api/contract.ts';
import type { ApiError } from '../../shared/api/model.ts';

type SelectInput = MethodInput<'selectPatient'>;

/** The explicit step the hub's answer calls for (docs/architecture.md §8 rule 2). */
export type Offer =
  /** The MRN is not on file: adding a new local patient is a step of its own. */
  | { kind: 'create-local' }
  /** The patient on file has no name: adding the one given is a step of its own. */
  | { kind: 'add-name'; input: SelectInput };

/** The step a refused selection offers, if any: NOT_FOUND `unknown`, or CONFLICT `nameMissing`. */
export function offerFor(error: ApiError, input: SelectInput): Offer | undefined {
  if (error.code === 'NOT_FOUND' && error.details?.['unknown'] === true && !input.createLocal) return { kind: 'create-local' };
  if (error.code === 'CONFLICT' && error.details?.['nameMissing'] === true) return { kind: 'add-name', input };
  return undefined;
}

interface IdentityOfferProps {
  readonly offer: Offer;
  readonly busy: boolean;
  readonly onCreateLocal: () => void;
  readonly onAddName: (input: SelectInput) => void;
}

/** The button for the step on offer, under the hub's message that explains it. */
export function IdentityOffer({ offer, busy, onCreateLocal, onAddName }: IdentityOfferProps): React.JSX.Element {
  if (offer.kind === 'create-local') {
    return (
      <div className="form-actions">
        <button type="button" className="button" data-testid="patient-create-local-start" disabled={busy} onClick={onCreateLocal}>
          Add a new local patient…
        </button>
      </div>
    );
  }
  return (
    <div className="form-actions">
      <button type="button" className="button" data-testid="patient-add-name" disabled={busy} onClick={() => onAddName(offer.input)}>
        Add name to this patient
      </button>
    </div>
  );
}
