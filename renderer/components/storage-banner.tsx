import type { StorageTrouble } from '../../shared/api/model.ts';
import { useHub } from '../state/use-hub.tsx';

const HEADLINE: Record<StorageTrouble['code'], string> = {
  STORAGE_FULL: 'Cannot save readings: the disk is full',
  STORAGE_READONLY: 'Cannot save readings: the data folder cannot be written',
};

/**
 * Shown while the hub cannot store readings (docs/architecture.md §7, storage trouble): red,
 * with the hub's own sentence (which folder, what to do) and how many readings wait in memory.
 * It goes away by itself when a reading is stored again.
 */
export function StorageBanner(): React.JSX.Element | null {
  const storage = useHub((s) => s.state?.storage);
  if (!storage) return null;
  return (
    <div className="storage-banner" role="alert" data-testid="storage-banner" data-code={storage.code}>
      <strong>{HEADLINE[storage.code]}.</strong> {storage.message}
      {storage.held > 0 ? ` ${storage.held} reading(s) are kept in memory and will be saved when there is room.` : ''}
      {storage.lost > 0 ? ` ${storage.lost} reading(s) could not be kept and are lost.` : ''}
    </div>
  );
}
