import { useEffect, useState } from 'react';

export const ROUTES = ['review', 'history', 'qc', 'audit'] as const;
export type Route = (typeof ROUTES)[number];

export const ROUTE_TEXT: Readonly<Record<Route, string>> = { review: 'Review', history: 'History', qc: 'QC log', audit: 'Audit log' };

/** The screen named by `#/<route>`; Review for anything else. */
export function routeOf(hash: string): Route {
  const name = hash.replace(/^#\/?/, '');
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'review';
}

/** The current screen, following the address bar's hash (so Back works and links are links). */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(window.location.hash));
  useEffect(() => {
    const update = (): void => setRoute(routeOf(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
