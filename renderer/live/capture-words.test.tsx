import { describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../shared/api/model.ts';
import { captureNotice } from './capture-words.ts';

const item = (state: ReviewItem['state']): ReviewItem => ({
  id: 'r-1',
  reading: {
    driver: 'masimo-rad8',
    device: { manufacturer: 'Masimo', model: 'Rad-8' },
    kind: 'patient',
    receivedAt: '2026-11-27T10:00:00.000Z',
    effectiveTime: '2026-11-27T10:00:00.000Z',
    observations: [],
    flags: ['auto-capture'],
  },
  state,
  deviceKey: 'masimo-rad8:1',
  deviceLabel: 'Masimo Rad-8',
  manual: false,
});

describe('what Capture says', () => {
  it('no valid values: nothing captured, as a warning', () => {
    expect(captureNotice('Masimo Rad-8', { captured: false })).toEqual({ text: 'Nothing captured: Masimo Rad-8 has no valid values right now.', tone: 'warn' });
  });

  it('a new reading is in the pending list', () => {
    expect(captureNotice('Masimo Rad-8', { captured: true, isNew: true, reading: item('pending') }).text).toMatch(/^Captured from Masimo Rad-8: the reading is in the pending list/);
  });

  it('the same values again: points at the pending reading, or warns that it was already decided', () => {
    const pending = captureNotice('Masimo Rad-8', { captured: true, isNew: false, reading: item('pending') });
    expect(pending.tone).toBe('ok');
    expect(pending.text).toMatch(/no new values since the reading of .*; that reading is in the pending list/);
    const rejected = captureNotice('Masimo Rad-8', { captured: true, isNew: false, reading: item('rejected') });
    expect(rejected.tone).toBe('warn');
    expect(rejected.text).toMatch(/which was rejected\. Capture again when the next values arrive/);
    expect(captureNotice('Masimo Rad-8', { captured: true, isNew: false, reading: item('confirmed') }).text).toMatch(/which was confirmed/);
  });
});
