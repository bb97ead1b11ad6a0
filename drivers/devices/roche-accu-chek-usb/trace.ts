import { DATA, decodeApdu } from '../../families/ieee11073/index.ts';
import { createApduFramer } from './protocol.ts';
import { framerTrace, type TraceAnnotator } from '../../kit/index.ts';

const DATA_NAMES: Readonly<Record<number, string>> = {
  [DATA.roivConfirmedEventReport]: 'event report',
  [DATA.rorsConfirmedEventReport]: 'event report confirmed',
  [DATA.roivGet]: 'GET',
  [DATA.rorsGet]: 'GET answer',
  [DATA.roivConfirmedAction]: 'action',
  [DATA.rorsConfirmedAction]: 'action answer',
  [DATA.roer]: 'error answer',
  [DATA.rorj]: 'reject',
};

function describe(apdu: Uint8Array): string {
  const d = decodeApdu(apdu);
  if (!d.ok) return d.message;
  const a = d.apdu;
  if (a.kind !== 'prst') return a.kind.toUpperCase();
  return `PRST invoke ${a.invokeId}: ${DATA_NAMES[a.choice] ?? `0x${a.choice.toString(16)}`}`;
}

/**
 * Live-trace hooks (`Driver.traceAnnotator`): both directions are IEEE 11073 APDUs, cut by the
 * family's framer (no checksum: USB carries the integrity). Nothing is masked: the meter holds
 * no patient identity (its serial number identifies the device, not the person).
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () => framerTrace(createApduFramer(), (apdu) => ({ bytes: apdu, frame: { kind: 'packet', checksum: 'none', note: describe(apdu) } })),
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (the meter keeps no patient identity)',
};
