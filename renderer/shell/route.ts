import { useEffect, useState } from 'react';
import type { Operator } from '../../shared/api/model.ts';

export const ROUTES = ['review', 'history', 'qc', 'qc-lots', 'audit', 'outbox', 'export-settings', 'patient-sources', 'devices'] as const;
export type Route = (typeof ROUTES)[number];

export const ROUTE_TEXT: Readonly<Record<Route, string>> = {
  review: 'Review',
  history: 'History',
  qc: 'QC log',
  'qc-lots': 'QC lots',
  audit: 'Audit log',
  outbox: 'Outbox',
  'export-settings': 'Export settings',
  'patient-sources': 'Patient sources',
  devices: 'Devices',
};

/** Screens only some roles may open (the hub refuses their queries to others anyway). */
const ROUTE_ROLES: Readonly<Partial<Record<Route, readonly Operator['role'][]>>> = { 'export-settings': ['admin', 'biomed'], 'patient-sources': ['admin', 'biomed'], devices: ['admin', 'biomed'], 'qc-lots': ['admin'] };

/** May this role open the screen? The nav shows only those it may. */
export function routeAllowed(route: Route, role: Operator['role'] | undefined): boolean {
  const roles = ROUTE_ROLES[route];
  return roles === undefined || (role !== undefined && roles.includes(role));
}

/** The screen named by `#/<route>`; Review for anything else. */
function routeOf(hash: string): Route {
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

/**
 * The browser tab's title: the screen, and DEMO first in demo mode, so a demo tab is never
 * mistaken for the real hub even when only its title is visible (docs/architecture.md §8, demo mode).
 */
export function pageTitle(route: Route | undefined, demo: boolean): string {
  return [demo ? 'DEMO' : undefined, route ? ROUTE_TEXT[route] : undefined, 'POC Hub'].filter(Boolean).join(' · ');
}
