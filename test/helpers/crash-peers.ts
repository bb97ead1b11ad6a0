import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import type { FhirPeer } from '../peers/fhir-peer.ts';
import type { Hl7Peer } from '../peers/hl7-peers.ts';

/** The peers a whole-pipeline crash test exports to; they live in the test process, across hub restarts. */
export interface CrashPeers {
  fhir: FhirPeer;
  hl7: Hl7Peer;
  /** The file target's folder. */
  exportDir: string;
}

/** `pochub-<date>-<reading id>.<ext>`: the file target's name for a reading (hidden temp files excluded). */
const EXPORT_FILE = /^pochub-\d{8}-([0-9a-f-]{36})\.\w+$/;

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** The FHIR Observation identifiers of each reading, from the bundles the outbox stored for `targetId`. */
function observationIdentifiers(storeFile: string, targetId: string): Map<string, string> {
  const db = new Database(storeFile, { readonly: true, fileMustExist: true });
  try {
    const owner = new Map<string, string>();
    const rows = db.prepare<[string], { reading_id: string; payload: string }>('SELECT reading_id, payload FROM outbox WHERE target_id = ? AND payload IS NOT NULL').all(targetId);
    for (const row of rows) {
      const bundle = JSON.parse(row.payload) as { entry: { resource: { resourceType: string; identifier?: { value?: string }[] } }[] };
      for (const e of bundle.entry) if (e.resource.resourceType === 'Observation') owner.set(e.resource.identifier?.[0]?.value ?? '', row.reading_id);
    }
    return owner;
  } finally {
    db.close();
  }
}

/**
 * How many times each reading arrived at each peer, counted by what the peer kept:
 * - HL7: accepted messages (the receiver stores a repeated MSH-10 once) per OBR-3, the reading id;
 * - FHIR: Provenances per reading (each points at the reading's first Observation), and a reading
 *   whose Observation is stored twice counts that many times;
 * - file: export files per reading id in the folder.
 */
export async function deliveriesPerReading(storeFile: string, peers: CrashPeers): Promise<Record<'hl7' | 'fhir' | 'file', Map<string, number>>> {
  const hl7 = new Map<string, number>();
  for (const m of peers.hl7.accepted()) bump(hl7, m.field('OBR', 3));

  const file = new Map<string, number>();
  for (const name of readdirSync(peers.exportDir)) {
    const id = EXPORT_FILE.exec(name)?.[1];
    if (id !== undefined) bump(file, id);
  }

  const owner = observationIdentifiers(storeFile, 'fhir');
  const observations = await peers.fhir.search('Observation', { _count: '100000' });
  const readingOfObservation = new Map<string, string>();
  const storedPerIdentifier = new Map<string, number>();
  for (const o of observations) {
    if (o.resourceType !== 'Observation') continue;
    const identifier = o.identifier?.[0]?.value ?? '';
    bump(storedPerIdentifier, identifier);
    readingOfObservation.set(`Observation/${o.id}`, owner.get(identifier) ?? `unknown observation ${identifier}`);
  }
  const fhir = new Map<string, number>();
  for (const p of await peers.fhir.search('Provenance', { _count: '100000' })) {
    if (p.resourceType !== 'Provenance') continue;
    bump(fhir, readingOfObservation.get(p.target[0]?.reference ?? '') ?? `unknown provenance ${p.id}`);
  }
  for (const [identifier, n] of storedPerIdentifier) {
    const reading = owner.get(identifier) ?? `unknown observation ${identifier}`;
    if (n !== 1) fhir.set(reading, n);
  }
  return { hl7, fhir, file };
}
