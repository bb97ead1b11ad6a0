import { act, render, screen } from '@testing-library/react';
import { ReviewList } from '../review/review-list.tsx';
import { HubProvider, useHub } from '../state/use-hub.tsx';
import type { FakeHub } from './fake-hub.ts';

/** The list as the review screen uses it: items and patient from the store. */
function ConnectedList(): React.JSX.Element {
  const items = useHub((s) => s.pending);
  const patient = useHub((s) => s.state?.patient);
  return <ReviewList items={items} patient={patient} />;
}

/** Render the connected review list over `hub` and wait until it shows and the first answers settled. */
export async function showReviewList(hub: FakeHub): Promise<void> {
  render(
    <HubProvider client={hub}>
      <ConnectedList />
    </HubProvider>,
  );
  await screen.findByTestId('review-list');
  await act(async () => {});
}
