import type { MemoryList } from '../../shared/api/contract.ts';
import type { ReviewItem } from '../../shared/api/model.ts';
import { hubApi, type HubApi } from './hub-api.ts';

/**
 * The assistant of a whole-pipeline crash test, as an API client of `pochub serve`: signs in,
 * selects the patient, imports the meter memory, assigns what waits unassigned and confirms
 * everything, over and over, until the hub dies under it. What it learns survives the hub: the
 * readings the hub answered "confirmed" for (each must reach every peer), and whether a decision
 * was in flight when the kill came.
 */
export interface OperatorLedger {
  /** Readings the hub answered a confirmation for: committed, so never to be lost. */
  readonly confirmed: Set<string>;
  /** Readings the hub refused to confirm (impossible values, QC holds), with its words: not retried. */
  readonly refused: Map<string, string>;
  /** Decisions sent and not answered yet (import, assign, confirm). */
  inFlight: number;
}

/** Who signs in and whom they select. */
export interface OperatorScene {
  readonly badgeId: string;
  readonly pin: string;
  readonly patient: { readonly mrn: string; readonly name: string; readonly birthDate: string };
}

/** Answers of the hub that refuse a decision for good (a dead hub is a thrown fetch, not one of these). */
const REFUSALS = /IMPOSSIBLE|QC_|NOT_ALLOWED|INVALID|CONFLICT|NOT_FOUND|ACK/;

export function newLedger(): OperatorLedger {
  return { confirmed: new Set(), refused: new Map(), inFlight: 0 };
}

/** One decision, counted as in flight until the hub answers. */
async function decide<T>(ledger: OperatorLedger, run: () => Promise<T>): Promise<T> {
  ledger.inFlight += 1;
  try {
    return await run();
  } finally {
    ledger.inFlight -= 1;
  }
}

/**
 * One pass: import the memory, assign the unassigned, confirm the pending. Answers how many
 * decisions it made (0: nothing to do yet).
 */
export async function operateOnce(api: HubApi, ledger: OperatorLedger, scene: OperatorScene): Promise<number> {
  let made = 0;
  const memory = await api.call<MemoryList>('listMemory', {});
  const toImport = memory.results.map((r) => r.item).filter((i) => i.memory === 'not-imported' && !ledger.refused.has(i.id));
  for (let at = 0; at < toImport.length; at += 500) {
    const ids = toImport.slice(at, at + 500).map((i) => i.id);
    await decide(ledger, () => api.call('importReadings', { readingIds: ids, acknowledgeOld: true }));
    made += 1;
  }
  const review = await api.call<ReviewItem[]>('listReview', {});
  const pending = review.filter((i) => i.state === 'pending' && !ledger.refused.has(i.id) && i.qcLock === undefined);
  const unassigned = pending.filter((i) => i.patient === undefined).map((i) => i.id);
  if (unassigned.length > 0) {
    await decide(ledger, () => api.call('assignReadings', { readingIds: unassigned.slice(0, 500) }));
    made += 1;
  }
  for (const item of pending) {
    if (item.patient !== undefined && item.patient.mrn !== scene.patient.mrn) continue;
    const answer = await decide(ledger, () => api.raw('confirmReading', { readingId: item.id, acknowledge: ['critical', 'old'] }));
    if (answer.body.ok) ledger.confirmed.add(item.id);
    else if (REFUSALS.test(answer.body.error?.code ?? '')) ledger.refused.set(item.id, `${answer.body.error?.code}: ${answer.body.error?.message}`);
    else throw new Error(`confirmReading ${item.id}: ${answer.status} ${JSON.stringify(answer.body.error)}`);
    made += 1;
  }
  return made;
}

/** Sign in and select the scene's patient on a new session of the hub at `url`. */
export async function signInAndSelect(url: string, scene: OperatorScene): Promise<HubApi> {
  const api = hubApi(url);
  await api.call('signIn', { badgeId: scene.badgeId, pin: scene.pin });
  await api.call('selectPatient', { ...scene.patient });
  return api;
}

/**
 * Work until the hub is killed: `killing()` turns true just before the test kills it, and from
 * then on a failed call is the kill, not a fault. A pause between idle passes keeps the client
 * from spinning; it is pacing, not a wait for a state.
 */
export async function operateUntilKilled(url: string, ledger: OperatorLedger, scene: OperatorScene, killing: () => boolean): Promise<void> {
  try {
    const api = await signInAndSelect(url, scene);
    for (;;) {
      const made = await operateOnce(api, ledger, scene);
      if (killing()) return;
      if (made === 0) await new Promise((r) => setTimeout(r, 50));
    }
  } catch (e) {
    if (!killing()) throw e;
  }
}
