import type { Bundle } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { exportItem, READINGS } from '../../../test/helpers/export-items.ts';
import { buildFhirBundle } from './bundle.ts';
import { chunkBundle, chunkTransaction } from './staging.ts';

describe('splitting large transactions', () => {
  const bundle: Bundle = buildFhirBundle(exportItem(READINGS.urineStrip), { patientIdentifierSystem: 'urn:x' });

  it('leaves a small bundle whole', () => {
    const small = buildFhirBundle(exportItem(READINGS.glucose), { patientIdentifierSystem: 'urn:x' });
    expect(chunkBundle(small)).toEqual([small.entry]);
  });

  it('orders every entry after what it references, in chunks of at most 8', () => {
    const chunks = chunkBundle(bundle);
    expect(chunks.map((c) => c.length)).toEqual([8, 8]);
    const order = chunks.flat();
    order.forEach((entry, i) => {
      const text = JSON.stringify(entry.resource);
      for (const later of order.slice(i + 1)) expect(text.includes(later.fullUrl ?? '-'), `${entry.resource?.resourceType} before ${later.resource?.resourceType}`).toBe(false);
    });
    expect(order.at(-1)?.resource?.resourceType).toBe('Provenance');
  });

  it('replaces placeholders resolved by earlier chunks with the server ids', () => {
    const [first, second] = chunkBundle(bundle);
    const resolved = new Map((first ?? []).map((e, i) => [e.fullUrl ?? '', `X/${i}`]));
    const text = JSON.stringify(chunkTransaction(second ?? [], resolved));
    for (const placeholder of resolved.keys()) expect(text).not.toContain(placeholder);
    expect(text).toContain('X/0');
  });
});
