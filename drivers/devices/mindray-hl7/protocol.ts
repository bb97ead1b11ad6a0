import { mllpFrame } from '../../kit/index.ts';

/** The monitor's PDS data port: the hub connects to it (PROTOCOL.md §2.1). */
export const PDS_PORT = 4601;
/** Values of the `dialect` option: `auto` decides by MSH-12 (PROTOCOL.md §2). */
export const DIALECTS = ['auto', 'pds', 'pcd01'] as const;
export type Dialect = 'pds' | 'pcd01';

/** MSH-12 of each dialect. PCD-01 is HL7 2.6; 2.5 and 2.6.x are accepted as the same layout (INFERRED). */
export function dialectOf(version: string): Dialect | undefined {
  if (version === '2.3.1') return 'pds';
  if (/^2\.(5|6)(\.\d+)?$/.test(version)) return 'pcd01';
  return undefined;
}

/** How often the PDS keep-alive is sent; the monitor drops a client that stops (PROTOCOL.md §2.1). */
export const KEEPALIVE_INTERVAL_MS = 1_000;
/** The PDS keep-alive, byte for byte as the monitor expects it (PROTOCOL.md §2.1). */
export const PDS_KEEPALIVE_TEXT = 'MSH|^~\\&|||||||ORU^R01|106|P|2.3.1|\r';
export const PDS_KEEPALIVE = mllpFrame(PDS_KEEPALIVE_TEXT);

/** PDS message kinds, carried in MSH-10 (PROTOCOL.md §2.1). */
export const PDS_NUMERICS = '204';
export const PDS_NIBP = '503';
export const PDS_APERIODIC = 'APERIODIC';
/** PDS "no value": `-100`, also written `-100.00` (PROTOCOL.md §2.1). */
export const PDS_INVALID = -100;

/** PDS parameter ids (OBX-3.1) the driver maps (PROTOCOL.md §2.1). */
export const PDS_ID = {
  hr: '101',
  rr: '151',
  spo2: '160',
  prSpo2: '161',
  nibpSys: '170',
  nibpDia: '171',
  nibpMean: '172',
  nibpPr: '173',
  t1: '200',
} as const;

/** PCD-01 MDC codes (OBX-3.1) and unit codes (OBX-6.1) the driver maps (PROTOCOL.md §2.2). */
export const MDC = {
  spo2: '150456',
  prSpo2: '149530',
  hrEcg: '147842',
  rr: '151562',
  nibpSys: '150021',
  nibpDia: '150022',
  nibpMean: '150023',
  nibpPr: '149546',
  temp: '150364',
} as const;
export const MDC_UNIT = { mmHg: '266016', percent: '262688', bpm: '264864', degC: '268192' } as const;

/** The acknowledgement a PCD-01 monitor waits for before it sends the next message (PROTOCOL.md §2.2). */
export function pcd01Ack(controlId: string, sendingApp: string, sendingFacility: string): string {
  return `MSH|^~\\&|POCHUB|POCHUB|${sendingApp}|${sendingFacility}|||ACK^R01^ACK|A${controlId}|P|2.6\rMSA|AA|${controlId}\r`;
}
