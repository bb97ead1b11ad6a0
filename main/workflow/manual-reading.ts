import { randomUUID } from 'node:crypto';
import type { MethodInput } from '../../shared/api/contract.ts';
import { CATALOG, type CatalogKey } from '../../shared/catalog.ts';
import { HubError } from '../../shared/errors.ts';
import { observe, quantity } from '../../shared/observation.ts';
import type { Reading } from '../../shared/reading.ts';
import { toOffsetDateTime } from '../../shared/time.ts';
import { isUcumCode } from '../../shared/units.ts';

/** The "device" of a value typed in by a person: one key, so manual entries group together. */
const MANUAL_DRIVER = 'manual';
export const MANUAL_DEVICE = { key: 'manual', label: 'Manual entry' } as const;

/** `YYYY-MM-DDTHH:MM:SS` of the workstation's local time, as a device would print it. */
function localDeviceTime(epochMs: number): string {
  return toOffsetDateTime(epochMs).slice(0, 19);
}

/**
 * A reading for a value entered by hand (docs/architecture.md §8: stored pending and marked manual, then confirmed like any other).
 * Built from the catalog, so the code and unit are the same as a device's.
 *
 * @throws HubError `INPUT_INVALID` for a code that takes no number (a panel, an ordinal) or a
 *   unit the code does not allow, with the units it does.
 */
export function buildManualReading(input: MethodInput<'enterManual'>, operatorId: string, nowMs: number): Reading {
  const key = input.code as CatalogKey;
  const entry = CATALOG[key];
  if (entry === undefined) throw new HubError('INPUT_INVALID', `Unknown code ${input.code}.`);
  if (entry.scale !== 'Qn' || entry.units.length === 0) {
    throw new HubError('INPUT_INVALID', `${entry.display} takes no single number: enter its parts one by one.`, { details: { code: input.code } });
  }
  const units: readonly string[] = entry.units;
  if (!isUcumCode(input.unit) || !units.includes(input.unit)) {
    throw new HubError('INPUT_INVALID', `${entry.display} is not measured in ${input.unit}: use ${units.join(' or ')}.`, {
      details: { code: input.code, unit: input.unit, allowed: units },
    });
  }
  if (!Number.isFinite(input.value)) throw new HubError('INPUT_INVALID', 'The value must be a number.');
  const at = toOffsetDateTime(nowMs);
  return {
    driver: MANUAL_DRIVER,
    device: { manufacturer: 'POC Hub', model: 'manual entry' },
    kind: 'patient',
    deviceTime: localDeviceTime(nowMs),
    receivedAt: at,
    effectiveTime: at,
    clock: { source: 'workstation' },
    observations: [observe(key, quantity(input.value, input.unit))],
    flags: ['manual'],
    // A fresh entry number: two identical values typed in the same second are two entries, not
    // one result seen twice (the store would otherwise recognise the second as a duplicate).
    context: { sequence: randomUUID(), operatorId },
  };
}
