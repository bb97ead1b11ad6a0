import type { HubState, Operator, OutboxRow, OutboxSummary } from '../../shared/api/model.ts';
import type { ExportTargetView } from '../../shared/export/targets.ts';
import type { FakeHub } from '../testing/fake-hub.ts';

/** Tests only: outbox rows, summaries and targets as the hub would answer them. */

/** Make the fake hub's operator have `role`. */
export function signInAs(hub: FakeHub, role: Operator['role']): void {
  const state: HubState = { operator: { id: `op-${role}`, name: `Pat ${role}`, badgeId: `B-${role}`, role }, devices: [], demo: true, workstation: 'ROOM-3' };
  hub.handle('getState', () => ({ ok: true, value: state }));
}

export function summaryOf(targetId: string, counts: Partial<OutboxSummary['counts']>, over: Partial<OutboxSummary> = {}): OutboxSummary {
  return {
    targetId,
    targetName: targetId.toUpperCase(),
    kind: 'hl7',
    enabled: true,
    counts: { pending: 0, sending: 0, done: 0, failed: 0, dead: 0, ...counts },
    ...over,
  };
}

export function outboxRow(id: number, over: Partial<OutboxRow> = {}): OutboxRow {
  return {
    id,
    targetId: 'ehr',
    targetName: 'EHR',
    readingId: `r${id}`,
    controlId: `POCHUB-${id}`,
    state: 'failed',
    attempts: 1,
    patientMrn: 'MRN-1001',
    summary: ['8480-6 128 mm[Hg]'],
    effectiveTime: '2026-01-14T08:30:00Z',
    createdAt: '2026-01-14T08:31:00Z',
    updatedAt: '2026-01-14T08:32:00Z',
    ...over,
  };
}

export function targetView(target: ExportTargetView['target'], hasSecret = false): ExportTargetView {
  return { target, hasSecret, updatedAt: '2026-01-14T08:00:00Z' };
}
