import { HubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { localToEpochMs, toOffsetDateTime } from '../../../shared/time.ts';
import type { GlucoseUnit } from '../../families/glucose/observations.ts';
import {
  ATTR,
  OBJ_CLASS,
  Manager,
  absoluteTimeFromLocal,
  attribute,
  formatAbsoluteTime,
  pmStores,
  splitEntries,
  type ConfigReport,
  type PmStoreConfig,
  type SegmentEntryMap,
  type SegmentInfo,
} from '../../families/ieee11073/index.ts';
import { type Driver, type DriverContext, type DriverSession } from '../../kit/index.ts';
import { decodeEntry, ROCHE_ENTRY_MAP } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { manifest } from './manifest.ts';
import { DEFAULT_LOW_MG_DL, modelFromString } from './models.ts';
import { glucoseUnit, normalizeEntry } from './normalize.ts';
import { HUB_SYSTEM_ID, usableConfig } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

const LABEL = 'Accu-Chek';

/** The unit code of the configuration's numeric objects (the glucose metric), if one is given. */
function configUnitCode(config: ConfigReport): number | undefined {
  for (const o of config.objects) {
    if (o.objClass !== OBJ_CLASS.numeric) continue;
    const unit = attribute(o.attributes, ATTR.unitCode);
    if (unit?.length === 2) return ((unit[0] as number) << 8) | (unit[1] as number);
  }
  return undefined;
}

/**
 * One download from an Accu-Chek (PROTOCOL.md §3–§6): open = association and configuration;
 * identify = GET of the MDS (model, serial, firmware, clock); acquire = the clock, the segment
 * list, then every segment's entries, each confirmed after its readings are emitted; close =
 * release. The memory is read as the meter sends it; results already stored are recognised by
 * the hub and not offered again.
 */
export function createSession(ctx: DriverContext): DriverSession {
  const manager = new Manager(ctx, { label: LABEL, systemId: HUB_SYSTEM_ID, usable: usableConfig });
  let store: PmStoreConfig | undefined;
  let unit: GlucoseUnit = 'mg/dL';
  let device: DeviceIdentity = { manufacturer: 'Roche', model: 'Accu-Chek' };
  let lowMgDl = DEFAULT_LOW_MG_DL;
  let clock: string | undefined;

  const problem = (code: 'PROTOCOL_UNEXPECTED' | 'PROTOCOL_GARBAGE' | 'DEVICE_ERROR', message: string, raw?: Uint8Array): void =>
    ctx.emit({ type: 'problem', code, message: `${LABEL} ${message}`, ...(raw ? { raw } : {}) });

  const associate = async (signal: AbortSignal): Promise<void> => {
    if (store) return;
    const { config } = await manager.associate(signal);
    store = pmStores(config)[0];
    const code = configUnitCode(config);
    const u = glucoseUnit(code);
    if (u) unit = u;
    else problem('PROTOCOL_UNEXPECTED', `glucose unit code ${code} is neither mg/dL nor mmol/L; values are read as mg/dL`);
  };

  /** The segments to read: those the meter lists, or segment 0 as Tidepool does when it lists none. */
  const segments = async (handle: number, signal: AbortSignal): Promise<SegmentInfo[]> => {
    try {
      const list = await manager.segmentInfo(handle, signal);
      if (list.length > 0) return list;
    } catch (e) {
      if (signal.aborted || !(e instanceof HubError) || e.code === 'TRANSPORT_CLOSED' || e.code === 'CANCELLED') throw e;
      problem('PROTOCOL_UNEXPECTED', `the segment list could not be read (${e.message}); reading segment 0`);
    }
    return [{ instance: 0, attributes: [], usageCount: undefined, entryMap: undefined }];
  };

  return {
    async probe(signal) {
      try {
        await associate(signal);
        return true;
      } catch (e) {
        if (signal.aborted) throw e;
        return false;
      }
    },

    async open(signal) {
      await associate(signal);
    },

    async identify(signal) {
      await associate(signal);
      const mds = await manager.getMds(signal);
      for (const what of mds.unreadable) problem('PROTOCOL_GARBAGE', `attribute ${what} could not be read`);
      const model = modelFromString(mds.model);
      if (model) lowMgDl = model.lowMgDl;
      device = {
        manufacturer: 'Roche',
        model: model ? `${model.name} (${model.number})` : mds.model ? `Accu-Chek ${mds.model}` : 'Accu-Chek',
        ...(mds.serial ? { serial: mds.serial } : {}),
        ...(mds.firmware ? { firmware: mds.firmware } : {}),
      };
      if (mds.clock) clock = formatAbsoluteTime(mds.clock);
      return { ...device };
    },

    async acquire(signal) {
      if (!store) throw new HubError('PROTOCOL_UNEXPECTED', `${LABEL}: no PM-store to read`);
      let skewMs: number | undefined;
      if (clock) {
        skewMs = ctx.clock.now() - localToEpochMs(clock);
        ctx.emit({ type: 'device-clock', deviceTime: clock, skewMs, canSet: true });
      } else {
        problem('PROTOCOL_UNEXPECTED', 'the meter did not report its clock; stored times are kept as the meter wrote them');
      }
      const list = await segments(store.handle, signal);
      const counts = list.map((s) => s.usageCount);
      const total = counts.every((c) => c !== undefined) ? counts.reduce((a: number, c) => a + (c ?? 0), 0) : undefined;
      let done = 0;
      ctx.emit({ type: 'progress', done, ...(total !== undefined ? { total } : {}) });
      for (const segment of list) {
        const map: SegmentEntryMap = segment.entryMap ?? store.entryMap ?? ROCHE_ENTRY_MAP;
        await manager.transferSegment(store.handle, segment.instance, signal, (event, raw) => {
          const cut = splitEntries(event, map);
          if (cut.problem) problem('PROTOCOL_UNEXPECTED', `segment ${segment.instance}: ${cut.problem}`, raw);
          for (const e of cut.entries) {
            const decoded = decodeEntry(e);
            const normalized = decoded.ok ? normalizeEntry(decoded.entry, unit, lowMgDl) : decoded;
            if (!normalized.ok || !decoded.ok) {
              problem(decoded.ok ? 'DEVICE_ERROR' : 'PROTOCOL_GARBAGE', normalized.ok ? '' : normalized.message, e.raw);
            } else {
              ctx.emit({
                type: 'reading',
                draft: {
                  device: { ...device },
                  kind: normalized.kind,
                  deviceTime: decoded.entry.deviceTime,
                  timeBasis: 'stored',
                  ...(skewMs !== undefined ? { deviceClockSkewMs: skewMs } : {}),
                  observations: normalized.observations,
                  flags: normalized.flags,
                  raw: [e.raw],
                },
              });
            }
            done++;
            ctx.emit({ type: 'progress', done, ...(total !== undefined ? { total: Math.max(total, done) } : {}) });
          }
        });
      }
      if (total === undefined || done !== total) ctx.emit({ type: 'progress', done, total: done });
    },

    async setClock(epochMs, signal) {
      const local = absoluteTimeFromLocal(toOffsetDateTime(epochMs));
      if (!local) throw new HubError('INPUT_INVALID', `${LABEL}: cannot set the clock to ${epochMs}`);
      await manager.setTime(local, signal);
    },

    async close() {
      try {
        if (!ctx.link.closed) await manager.release(new AbortController().signal);
      } finally {
        manager.dispose();
      }
    },
  };
}

/** Roche Accu-Chek meters over USB PHDC, IEEE 11073-20601 (PROTOCOL.md). */
export const rocheAccuChekUsbDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
