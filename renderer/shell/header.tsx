import { useEffect, useRef, useState } from 'react';
import { PatientBanner } from '../components/patient-banner.tsx';
import { PendingDecisionDialog, pendingCountOf, type PendingAction } from '../patient/pending-decision.tsx';
import { OutboxNavCount } from '../export/outbox-nav-count.tsx';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';
import { ROUTES, ROUTE_TEXT, pageTitle, routeAllowed, type Route } from './route.ts';

/** Workstation, operator, the patient banner and the screens (none of them while the screen is locked). */
export function Header({ route, locked = false }: { route: Route | undefined; locked?: boolean }): React.JSX.Element {
  const store = usePageStateStore();
  const state = useHub((s) => s.state);
  const pending = useHub((s) => s.pending);
  const [ask, setAsk] = useState<{ count: number | undefined }>();
  const operator = locked ? undefined : state?.operator;
  const patient = state?.patient;
  const demo = state?.demo === true;
  useEffect(() => {
    document.title = pageTitle(route, demo);
  }, [route, demo]);
  const headerRef = useRef<HTMLElement>(null);
  useStickyHeight(headerRef);

  const clearPatient = async (action?: PendingAction): Promise<void> => {
    const result = await store.call('clearPatient', action ? { pending: action } : {});
    if (result.ok) {
      setAsk(undefined);
      store.notify('Patient cleared. New readings wait as unassigned.');
      return void (await store.load());
    }
    if (result.error.code === 'PENDING_DECISION_REQUIRED') {
      return setAsk({ count: pendingCountOf(result.error.details) ?? pending.filter((i) => i.patient?.mrn === patient?.mrn).length });
    }
    store.notifyError(result.error);
  };

  const signOut = async (): Promise<void> => {
    const result = await store.call('signOut', {});
    if (!result.ok) return store.notifyError(result.error);
    await store.load();
  };

  return (
    <header className="header" ref={headerRef}>
      <div className="header-bar">
        <p className="brand">
          POC Hub <span className="workstation">{state?.workstation ?? ''}</span>
          {demo && (
            <span className="tag tag--demo" data-testid="demo-badge" title="Demo mode: simulated devices and made-up patients, kept apart from real data">
              DEMO<span className="visually-hidden"> mode: simulated devices and made-up patients, kept apart from real data</span>
            </span>
          )}
        </p>
        {operator && (
          <p className="operator">
            <span data-testid="operator-name">{operator.name}</span> <span className="operator-role">({operator.role})</span>
            <button type="button" className="button button--quiet" data-testid="signout" onClick={() => void signOut()}>
              Sign out
            </button>
          </p>
        )}
      </div>
      {operator && <PatientBanner patient={patient} onClear={patient ? () => void clearPatient() : undefined} />}
      {operator && route && (
        <nav className="nav" aria-label="Screens">
          {ROUTES.filter((r) => routeAllowed(r, operator.role)).map((r) => (
            <a key={r} href={`#/${r}`} className="nav-link" aria-current={r === route ? 'page' : undefined} data-testid={`nav-${r}`}>
              {ROUTE_TEXT[r]}
              {r === 'review' && pending.length > 0 && <span className="nav-count">{pending.length}</span>}
              {r === 'outbox' && <OutboxNavCount />}
            </a>
          ))}
        </nav>
      )}
      {ask && (
        <PendingDecisionDialog
          previous={patient}
          count={ask.count}
          next="finish with this patient"
          onChoose={(action) => void clearPatient(action)}
          onCancel={() => setAsk(undefined)}
        />
      )}
    </header>
  );
}

/**
 * The header is sticky (the patient banner stays on screen): its height goes into
 * `--header-height`, which the page's scroll-padding uses so a row scrolled into view is not
 * hidden under it.
 */
function useStickyHeight(ref: React.RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => root.style.setProperty('--header-height', `${el.offsetHeight}px`));
    observer.observe(el);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--header-height');
    };
  }, [ref]);
}
