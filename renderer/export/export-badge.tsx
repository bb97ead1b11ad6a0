import type { ReadingExport } from '../../shared/api/model.ts';
import { OUTBOX_STATE_SYMBOL, exportBadgeText } from './words.ts';

/** Where one confirmed reading stands with one export target (History): symbol, words, colour. */
export function ExportBadge({ readingId, exp }: { readingId: string; exp: ReadingExport }): React.JSX.Element {
  return (
    <div className={`export-badge export-badge--${exp.state}`} data-testid={`export-${readingId}-${exp.targetId}`} data-state={exp.state}>
      <span aria-hidden="true" className="export-symbol">
        {OUTBOX_STATE_SYMBOL[exp.state]}
      </span>{' '}
      {exportBadgeText(exp)}
    </div>
  );
}
