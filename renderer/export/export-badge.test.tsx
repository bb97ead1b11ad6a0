// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReadingExport, ReviewItem } from '../../shared/api/model.ts';
import { App } from '../app.tsx';
import { JANE, createFakeHub, pendingItem } from '../testing/fake-hub.ts';

beforeEach(() => {
  window.location.hash = '#/history';
});
afterEach(cleanup);

const confirmed = (id: string, exports: ReadingExport[]): ReviewItem => ({ ...pendingItem({ id, patient: JANE }), state: 'confirmed', export: exports });
const exp = (outboxId: number, targetId: string, over: Partial<ReadingExport>): ReadingExport => ({ outboxId, targetId, target: targetId.toUpperCase(), state: 'pending', ...over });

describe('History export badges', () => {
  it('shows where each confirmed reading stands with each target, in words', async () => {
    const hub = createFakeHub({ patient: JANE });
    hub.handle('getHistory', () => ({
      ok: true,
      value: [
        confirmed('h1', [
          exp(1, 'ehr', { state: 'done', doneAt: '2026-01-14T08:31:00Z' }),
          exp(2, 'fhir', { state: 'failed', message: 'HTTP 503 Service Unavailable' }),
        ]),
        confirmed('h2', [exp(3, 'ehr', { state: 'sending' }), exp(4, 'fhir', { state: 'dead', message: 'Unknown patient identifier' })]),
        confirmed('h3', [exp(5, 'ehr', { state: 'pending' })]),
      ],
    }));
    render(<App client={hub} />);
    const done = await screen.findByTestId('export-h1-ehr');
    const badge = (id: string): { state: string | undefined; text: string | null } => {
      const el = screen.getByTestId(id);
      return { state: el.dataset.state, text: el.textContent };
    };
    expect(done.dataset.state).toBe('done');
    expect(done.textContent).toContain('Sent to EHR at 14 Jan 2026 08:31');
    expect(badge('export-h1-fhir')).toEqual({ state: 'failed', text: expect.stringContaining('Retrying: HTTP 503 Service Unavailable (FHIR)') });
    expect(badge('export-h2-ehr')).toEqual({ state: 'sending', text: expect.stringContaining('Waiting to send to EHR') });
    expect(badge('export-h2-fhir')).toEqual({ state: 'dead', text: expect.stringContaining('Not sent — needs attention: Unknown patient identifier (FHIR)') });
    expect(badge('export-h3-ehr')).toEqual({ state: 'pending', text: expect.stringContaining('Waiting to send to EHR') });
  });
});
