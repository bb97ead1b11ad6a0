import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import { copyDecimalMarks } from './decimal-json.ts';

/**
 * Split one reading's transaction into several when it is too large for the server. Medplum
 * refuses a transaction with conditional creates and more than 8 entries ("requires strict
 * isolation but has too many entries", docs/export.md §10), and a urine strip makes 16. Entries are
 * put in dependency order (a resource after everything it references), cut into chunks, and each
 * later chunk has the placeholders of earlier chunks replaced by the ids the server returned.
 * Every entry is a conditional create, so a chunk that is resent finds what is already there:
 * the split loses atomicity across chunks, never exactly-once.
 */

const MAX_CONDITIONAL_TRANSACTION_ENTRIES = 8;

function mentions(entry: BundleEntry, placeholder: string): boolean {
  return JSON.stringify({ resource: entry.resource, request: entry.request }).includes(placeholder);
}

/** Entries in an order where each comes after the entries it references (stable otherwise). */
function dependencyOrder(entries: readonly BundleEntry[]): BundleEntry[] {
  const pending = [...entries];
  const done: BundleEntry[] = [];
  while (pending.length > 0) {
    const unresolved = new Set(pending.map((e) => e.fullUrl).filter((u): u is string => u !== undefined));
    const ready = pending.findIndex((e) => ![...unresolved].some((u) => u !== e.fullUrl && mentions(e, u)));
    // A reference cycle cannot be ordered; keep the rest in bundle order (one chunk resolves it).
    const [next] = pending.splice(ready === -1 ? 0 : ready, 1);
    if (next) done.push(next);
  }
  return done;
}

/** The chunks to send, in order. One chunk (the bundle unchanged) when it is small enough. */
export function chunkBundle(bundle: Bundle, max: number = MAX_CONDITIONAL_TRANSACTION_ENTRIES): BundleEntry[][] {
  const entries = bundle.entry ?? [];
  if (entries.length <= max) return [entries];
  const ordered = dependencyOrder(entries);
  const chunks: BundleEntry[][] = [];
  for (let i = 0; i < ordered.length; i += max) chunks.push(ordered.slice(i, i + max));
  return chunks;
}

function rewrite(value: unknown, resolved: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const [placeholder, reference] of resolved) if (out.includes(placeholder)) out = out.replaceAll(placeholder, reference);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => rewrite(v, resolved));
  if (typeof value === 'object' && value !== null) {
    const copy = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, resolved)]));
    // The copy must still write its decimals as printed (`1.020`).
    copyDecimalMarks(value, copy);
    return copy;
  }
  return value;
}

/**
 * A chunk as a transaction Bundle, with placeholders resolved by earlier chunks replaced by
 * `Type/id` (in references and in `ifNoneExist`, e.g. Provenance `target=`). The entries' own
 * fullUrls are kept, so their placeholders still work inside the chunk.
 */
export function chunkTransaction(chunk: readonly BundleEntry[], resolved: ReadonlyMap<string, string>): Bundle {
  const entry = chunk.map((e) => ({
    ...e,
    ...(e.resource ? { resource: rewrite(e.resource, resolved) as typeof e.resource } : {}),
    ...(e.request ? { request: rewrite(e.request, resolved) as typeof e.request } : {}),
  }));
  return { resourceType: 'Bundle', type: 'transaction', entry };
}
