import type { HubClient } from '../shared/api/client.ts';
import { BiomedScreen } from './biomed/biomed-screen.tsx';
import { OfflineBanner } from './components/offline-banner.tsx';
import { StorageBanner } from './components/storage-banner.tsx';
import { OutboxScreen } from './export/outbox-screen.tsx';
import { TargetsScreen } from './export/targets-screen.tsx';
import { SourcesScreen } from './patients/sources/sources-screen.tsx';
import { HistoryScreen } from './history/history-screen.tsx';
import { AuditScreen } from './logs/audit-screen.tsx';
import { QcScreen } from './logs/qc-screen.tsx';
import { QcLotsScreen } from './logs/qc-lots-screen.tsx';
import { ReviewScreen } from './review/review-screen.tsx';
import { Header } from './shell/header.tsx';
import { ROUTE_TEXT, useRoute, type Route } from './shell/route.ts';
import { SignIn } from './shell/sign-in.tsx';
import { LockScreen } from './shell/lock-screen.tsx';
import { useIdleLock } from './shell/idle-lock.ts';
import { StatusLine } from './shell/status-line.tsx';
import { HubProvider, useHub } from './state/use-hub.tsx';

/** The assistant's UI over one HubClient (Electron bridge or browser mode). */
export function App({ client }: { client: HubClient }): React.JSX.Element {
  return (
    <HubProvider client={client}>
      <Shell />
    </HubProvider>
  );
}

function Screen({ route }: { route: Route }): React.JSX.Element {
  switch (route) {
    case 'review':
      return <ReviewScreen />;
    case 'history':
      return <HistoryScreen />;
    case 'qc':
      return <QcScreen />;
    case 'qc-lots':
      return <QcLotsScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'outbox':
      return <OutboxScreen />;
    case 'export-settings':
      return <TargetsScreen />;
    case 'patient-sources':
      return <SourcesScreen />;
    case 'devices':
      return <BiomedScreen />;
    default:
      return route satisfies never;
  }
}

function Shell(): React.JSX.Element {
  const status = useHub((s) => s.status);
  const operator = useHub((s) => s.state?.operator);
  const lockedByHub = useHub((s) => s.state?.locked === true);
  const lockAfterMs = useHub((s) => s.state?.lockAfterMs);
  const route = useRoute();
  // The page locks itself when its own idle timer runs out, and whenever the hub says so.
  const { idle, reset } = useIdleLock(operator !== undefined && !lockedByHub, lockAfterMs);
  const locked = operator !== undefined && (lockedByHub || idle);
  const signedIn = operator !== undefined && !locked;

  let body: React.JSX.Element;
  if (status === 'no-access') {
    body = (
      <main className="panel notice-page">
        <h1>This page needs the hub's address</h1>
        <p>
          Open the address that <code>pochub serve</code> printed when it started (it ends with <code>?token=…</code>). If the hub was
          restarted, it printed a new one.
        </p>
      </main>
    );
  } else if (status === 'loading') {
    body = (
      <main className="panel notice-page" aria-busy="true">
        <p>Connecting to the hub…</p>
      </main>
    );
  } else if (locked) {
    body = <LockScreen operator={operator} onUnlocked={reset} />;
  } else if (!signedIn) {
    body = <SignIn />;
  } else {
    body = (
      <main className="main" aria-label={`${ROUTE_TEXT[route]} screen`}>
        <Screen route={route} />
      </main>
    );
  }

  return (
    <div className="app">
      <Header route={signedIn ? route : undefined} locked={locked} />
      <StatusLine />
      <StorageBanner />
      {body}
      <OfflineBanner />
    </div>
  );
}
