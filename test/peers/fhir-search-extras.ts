import type { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';

/**
 * What Medplum's in-memory repository leaves out of a search answer and a real EHR gives: the
 * `next` link when more matches than `_count` exist (paging, with `_offset`), and `_include`d
 * resources (`Appointment:patient`, `Encounter:subject`) marked `search.mode = include`. The
 * patient-source tests need both; the matching itself stays Medplum's.
 */
export async function completeSearchset(bundle: Bundle, url: URL, repo: MemoryRepository, publicBase: string): Promise<Bundle> {
  const entries: BundleEntry[] = (bundle.entry ?? []).map((e) => ({ ...e, search: { mode: 'match' } }));
  const count = Number(url.searchParams.get('_count') ?? Number.NaN);
  const offset = Number(url.searchParams.get('_offset') ?? 0);
  const link: NonNullable<Bundle['link']> = [{ relation: 'self', url: `${publicBase}${url.pathname.replace(/^\/fhir/, '')}${url.search}` }];
  if (Number.isFinite(count) && bundle.total !== undefined && offset + entries.length < bundle.total && entries.length > 0) {
    const next = new URL(link[0]?.url ?? '');
    next.searchParams.set('_offset', String(offset + count));
    link.push({ relation: 'next', url: next.toString() });
  }
  const included = new Map<string, Resource>();
  for (const include of url.searchParams.getAll('_include')) {
    for (const entry of entries) {
      for (const ref of references(entry.resource, include)) {
        const [type, id] = ref.split('/');
        if (type !== 'Patient' || id === undefined || included.has(ref)) continue;
        try {
          included.set(ref, await repo.readResource('Patient', id));
        } catch {
          // A dangling reference: a real server leaves it out too.
        }
      }
    }
  }
  const extra: BundleEntry[] = [...included.values()].map((resource) => ({ resource, search: { mode: 'include' } }));
  const all = [...entries, ...extra];
  return { ...bundle, link, ...(all.length > 0 ? { entry: all } : {}) };
}

function references(resource: Resource | undefined, include: string): string[] {
  if (resource?.resourceType === 'Appointment' && include === 'Appointment:patient') {
    return (resource.participant ?? []).flatMap((p) => (p.actor?.reference?.startsWith('Patient/') ? [p.actor.reference] : []));
  }
  if (resource?.resourceType === 'Encounter' && include === 'Encounter:subject') return resource.subject?.reference ? [resource.subject.reference] : [];
  return [];
}
