import type { ReviewChecks } from '../../shared/api/model.ts';

/** What the hub found about a reading's values and age, one line each, worst first. */
interface CheckLine {
  readonly kind: 'impossible' | 'critical' | 'abnormal' | 'old';
  readonly text: string;
}

/** The lines of a reading's checks, worst first (docs/architecture.md §8). */
export function checkLines(checks: ReviewChecks | undefined): CheckLine[] {
  if (!checks) return [];
  return [
    ...checks.impossible.map((text) => ({ kind: 'impossible' as const, text: `Not possible: ${text}` })),
    ...checks.critical.map((text) => ({ kind: 'critical' as const, text: `Critical: ${text}` })),
    ...(checks.old ? [{ kind: 'old' as const, text: `Measured ${checks.old.age} ago` }] : []),
    ...checks.abnormal.map((text) => ({ kind: 'abnormal' as const, text })),
  ];
}

/**
 * The checks of a reading in words and colour: red for a value that cannot be real or is
 * critical, amber for an old result, quiet for an abnormal one. Words first, so colour is never
 * the only signal.
 */
export function CheckFlags({ checks, id }: { readonly checks: ReviewChecks | undefined; readonly id: string }): React.JSX.Element | null {
  const lines = checkLines(checks);
  if (lines.length === 0) return null;
  return (
    <ul className="checks" aria-label="Checks" data-testid={`checks-${id}`}>
      {lines.map((l, i) => (
        <li key={i} className={`check check--${l.kind}`} data-testid={`check-${l.kind}-${id}`}>
          {l.text}
        </li>
      ))}
    </ul>
  );
}
