import { randomUUID } from 'node:crypto';
import { CATALOG } from '../../shared/catalog.ts';
import type { Operator } from '../../shared/api/model.ts';
import type { QcLot, SaveQcLotInput } from '../../shared/api/qc-model.ts';
import { HubError } from '../../shared/errors.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import type { AuditLog } from './audit-log.ts';

/**
 * Control lots (docs/architecture.md §8 rule 11): what an admin defines, each change one
 * transaction with its audit row. A lot is retired, never deleted, as past evaluations name it.
 */
export class QcLots {
  constructor(
    private readonly store: Pick<HubDatabase, 'qc' | 'transaction'>,
    private readonly audit: AuditLog,
    private readonly now: () => number,
  ) {}

  list(): QcLot[] {
    return this.store.qc.lots();
  }

  /** The lot to evaluate with: it must exist and be in use. */
  inUse(id: string): QcLot {
    const lot = this.store.qc.lot(id);
    if (lot === undefined) throw new HubError('NOT_FOUND', 'That control lot is not on file.', { details: { lotId: id } });
    if (lot.retired) throw new HubError('CONFLICT', `Lot ${lot.lotNumber} was retired: choose a lot in use.`, { details: { lotId: id } });
    return lot;
  }

  /**
   * Add a lot (no id) or change one. A new lot must not be expired already; the unit must be one
   * of the analyte's; a lot number is unique per analyte.
   */
  save(input: SaveQcLotInput, operator: Operator): QcLot {
    const entry = CATALOG[input.analyte];
    if (entry.scale !== 'Qn' || !(entry.units as readonly string[]).includes(input.unit)) {
      const units = entry.units.length === 0 ? 'no unit: it is not measured as a number' : entry.units.join(' or ');
      throw new HubError('INPUT_INVALID', `${entry.display} takes ${units}; a control lot needs a number with a unit.`, { details: { field: 'unit' } });
    }
    const names = input.levels.map((l) => l.level.toLowerCase());
    if (new Set(names).size !== names.length) throw new HubError('INPUT_INVALID', 'Each level of a lot needs its own name.', { details: { field: 'levels' } });
    const at = new Date(this.now()).toISOString();
    return this.store.transaction(() => {
      const same = this.store.qc.lotByNumber(input.lotNumber, input.analyte);
      if (same !== undefined && same.id !== input.id) {
        throw new HubError('CONFLICT', `Lot ${input.lotNumber} is already on file for ${entry.display}.`, { details: { lotId: same.id } });
      }
      let id = input.id;
      if (id === undefined) {
        if (input.expiresOn < at.slice(0, 10)) {
          throw new HubError('INPUT_INVALID', `Lot ${input.lotNumber} expired on ${input.expiresOn}: an expired lot cannot be added.`, { details: { field: 'expiresOn' } });
        }
        id = randomUUID();
        this.store.qc.insertLot(id, input, at);
      } else {
        const before = this.store.qc.lot(id);
        if (before === undefined) throw new HubError('NOT_FOUND', 'That control lot is not on file.', { details: { lotId: id } });
        if (before.retired) throw new HubError('CONFLICT', `Lot ${before.lotNumber} was retired and cannot be changed.`, { details: { lotId: id } });
        this.store.qc.updateLot(id, input, at);
      }
      const { id: _given, ...lot } = input;
      this.audit.append({ operatorId: operator.id, action: input.id === undefined ? 'qc.lot-add' : 'qc.lot-change', subject: id, details: { ...lot } });
      return this.get(id);
    });
  }

  retire(id: string, operator: Operator): QcLot {
    return this.store.transaction(() => {
      const lot = this.get(id);
      if (lot.retired) return lot;
      this.store.qc.retireLot(id, new Date(this.now()).toISOString());
      this.audit.append({ operatorId: operator.id, action: 'qc.lot-retire', subject: id, details: { lotNumber: lot.lotNumber, analyte: lot.analyte } });
      return this.get(id);
    });
  }

  private get(id: string): QcLot {
    const lot = this.store.qc.lot(id);
    if (lot === undefined) throw new HubError('NOT_FOUND', 'That control lot is not on file.', { details: { lotId: id } });
    return lot;
  }
}
