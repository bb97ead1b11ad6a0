import type { BundleEntry, Identifier, Provenance, ProvenanceAgent, ProvenanceEntity } from '@medplum/fhirtypes';
import { OPERATOR_SYSTEM, entryUuid, urnUuid } from './ids.ts';

const PARTICIPANT_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';

type ProvenanceRole = 'performer' | 'assembler' | 'verifier';
const ROLE_DISPLAY: Readonly<Record<ProvenanceRole, string>> = { performer: 'Performer', assembler: 'Assembler', verifier: 'Verifier' };

function agent(role: ProvenanceRole, who: ProvenanceAgent['who']): ProvenanceAgent {
  return { type: { coding: [{ system: PARTICIPANT_TYPE_SYSTEM, code: role, display: ROLE_DISPLAY[role] }] }, who };
}

interface ProvenanceInput {
  readonly readingId: string;
  /** The reading's id (`urn:pochub:reading`): the source entity the results came from. */
  readonly reading: Identifier;
  /** fullUrls of every Observation of the reading; the first one is the idempotency key. */
  readonly targets: readonly [string, ...string[]];
  readonly recorded: string;
  readonly meter?: { readonly url: string; readonly label: string };
  readonly hub: { readonly url: string; readonly label: string };
  readonly verifier: { readonly id: string; readonly name: string };
}

/**
 * R4 Provenance has no `identifier` element: the reading it records is named as its `source`
 * entity instead, a logical reference by the reading's id, which is what OBR-3 carries in HL7
 * (docs/export.md §5), so a search by `entity:identifier` finds it.
 */
function readingEntity(reading: Identifier): ProvenanceEntity {
  return { role: 'source', what: { identifier: reading, display: `POC Hub reading ${reading.value ?? ''}` } };
}

/**
 * Who did what: the meter measured (performer; absent for values entered by hand), the hub
 * assembled the result, the operator confirmed it (verifier). R4 Provenance has no identifier,
 * so the create is conditional on its first target: fhir-router (and HAPI) resolve the
 * `urn:uuid` placeholder inside `ifNoneExist`, and a replay then finds the first Provenance
 * instead of adding a second one (docs/export.md §2 rule 4, §5).
 */
export function provenanceEntry(p: ProvenanceInput): BundleEntry<Provenance> {
  const agents: ProvenanceAgent[] = [];
  if (p.meter) agents.push(agent('performer', { reference: p.meter.url, display: p.meter.label }));
  agents.push(agent('assembler', { reference: p.hub.url, display: p.hub.label }));
  agents.push(agent('verifier', { identifier: { system: OPERATOR_SYSTEM, value: p.verifier.id }, display: p.verifier.name }));
  return {
    fullUrl: urnUuid(entryUuid(`provenance/${p.readingId.toLowerCase()}`)),
    resource: { resourceType: 'Provenance', target: p.targets.map((reference) => ({ reference })), recorded: p.recorded, agent: agents, entity: [readingEntity(p.reading)] },
    request: { method: 'POST', url: 'Provenance', ifNoneExist: `target=${p.targets[0]}` },
  };
}
