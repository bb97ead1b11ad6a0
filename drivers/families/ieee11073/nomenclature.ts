/**
 * The IEEE 11073-10101 / -20601 codes this family uses (README.md §2), as tables so a blood
 * pressure cuff, a scale or an oximeter adds rows, not code. Values are the standard's term codes;
 * a full MDC code is `partition << 16 | term` (the catalog's `mdc` field uses the full code).
 */

/** APDU choices (the first u16 of every APDU). */
export const APDU = { aarq: 0xe200, aare: 0xe300, rlrq: 0xe400, rlre: 0xe500, abrt: 0xe600, prst: 0xe700 } as const;

/** DATA-apdu message choices inside a PRST. */
export const DATA = {
  roivEventReport: 0x0100,
  roivConfirmedEventReport: 0x0101,
  roivGet: 0x0103,
  roivSet: 0x0104,
  roivConfirmedSet: 0x0105,
  roivAction: 0x0106,
  roivConfirmedAction: 0x0107,
  rorsConfirmedEventReport: 0x0201,
  rorsGet: 0x0203,
  rorsConfirmedSet: 0x0205,
  rorsConfirmedAction: 0x0207,
  roer: 0x0300,
  rorj: 0x0400,
} as const;

/** The data protocol id of IEEE 11073-20601 in an AARQ/AARE (`50 79`). */
export const DATA_PROTO_ID_20601 = 20601;
/** Encoding rules bit for MDER in PhdAssociationInformation. */
export const ENCODING_MDER = 0x8000;
/** Protocol version 2 (bit 30 set; 0x80000000 is version 1). */
export const PROTOCOL_VERSION_2 = 0x80000002;
export const NOMENCLATURE_VERSION_1 = 0x80000000;
/** System type bits: the manager, or an agent. */
export const SYSTEM_TYPE = { manager: 0x80000000, agent: 0x00800000 } as const;

/** AARE association results. */
export const ASSOC_RESULT = {
  accepted: 0,
  rejectedPermanent: 1,
  rejectedTransient: 2,
  acceptedUnknownConfig: 3,
  rejectedNoCommonProtocol: 4,
  rejectedNoCommonParameter: 5,
  rejectedUnknown: 6,
  rejectedUnauthorized: 7,
  rejectedUnsupportedAssocVersion: 8,
} as const;

/** ConfigReportRsp results. */
export const CONFIG_RESULT = { accepted: 0, unsupported: 1, standardUnknown: 2 } as const;

/** RLRQ / RLRE reasons. */
export const RELEASE_REASON = { normal: 0, noMoreConfigurations: 1, configurationChanged: 2 } as const;
/** ABRT reasons. */
export const ABORT_REASON = { undefined: 0, bufferOverflow: 1, responseTimeout: 2, configurationTimeout: 3 } as const;

/** Event types of event reports. */
export const EVENT = {
  config: 0x0d1c,
  segmentData: 0x0d21,
  scanReportVar: 0x0d1d,
  scanReportFixed: 0x0d1f,
  scanReportMpVar: 0x0d20,
  scanReportMpFixed: 0x0d22,
} as const;

/** Action types of confirmed actions. */
export const ACTION = { segGetInfo: 0x0c0d, segTrigXfer: 0x0c1c, setTime: 0x0c17, segGetIdList: 0x0c1e, segClear: 0x0c1f } as const;

/** Object classes in a configuration. */
export const OBJ_CLASS = { enumeration: 5, numeric: 6, rtsa: 9, mds: 37, pmStore: 61, pmSegment: 62 } as const;

/** Attribute ids. */
export const ATTR = {
  idHandle: 0x0921,
  idModel: 0x0928,
  idProdSpecn: 0x092d,
  idType: 0x092f,
  msmtStat: 0x0947,
  nuValObs: 0x0950,
  numSeg: 0x0951,
  segUsageCnt: 0x097b,
  sysId: 0x0984,
  timeAbs: 0x0987,
  timeStampAbs: 0x0990,
  unitCode: 0x0996,
  devConfigId: 0x0a44,
  metricSpecSmall: 0x0a46,
  nuValObsBasic: 0x0a4c,
  pmStoreCapab: 0x0a4d,
  pmSegMap: 0x0a4e,
  attributeValMap: 0x0a55,
  nuValObsSimp: 0x0a56,
  sysTypeSpecList: 0x0a5a,
} as const;

/** ProductionSpec entry types (ID_PROD_SPECN). */
export const PROD_SPEC = { unspecified: 0, serialNumber: 1, partNumber: 2, hwRevision: 3, swRevision: 4, fwRevision: 5, protocolRevision: 6 } as const;

/** Trig-segment-data-xfer results (`TSXR_*`). */
export const TRIG_RESULT = { successful: 0, failNoSuchSegment: 1, failClearInProcess: 2, failSegmentEmpty: 3, failNotOtherwiseSpecified: 512 } as const;

/** Segment data event status bits (`SEVTSTA_*`). */
export const SEGMENT_STATUS = {
  firstEntry: 0x8000,
  lastEntry: 0x4000,
  agentAbort: 0x0800,
  managerConfirm: 0x0080,
  managerAbort: 0x0008,
} as const;

/** PM-segment entry header bits (the first u16 of PM_SEG_MAP): which stamps start every entry. */
export const SEG_ENTRY_HEADER = { absoluteTime: 0x8000, relativeTime: 0x4000, hiresRelativeTime: 0x2000 } as const;
/** Bytes of each stamp the header announces, in the order they appear. */
export const SEG_ENTRY_HEADER_BYTES: readonly (readonly [number, number])[] = [
  [SEG_ENTRY_HEADER.absoluteTime, 8],
  [SEG_ENTRY_HEADER.relativeTime, 4],
  [SEG_ENTRY_HEADER.hiresRelativeTime, 8],
];

/** Device specialization profiles (SYS_TYPE_SPEC_LIST, PHDC function descriptor). */
export const DEV_SPEC_PROFILE = { pulseOximeter: 4100, bloodPressure: 4103, thermometer: 4104, scale: 4111, glucose: 4113 } as const;

/**
 * Standard configurations a manager may know without asking (dev-config-id < 0x4000 are
 * standard, ≥ 0x4000 extended and device-specific; README.md §3).
 */
export const STANDARD_CONFIG = { pulseOximeter: [400, 401], bloodPressure: [700, 701], thermometer: [800], scale: [1500, 1501], glucose: [1700] } as const;
/** The first extended-configuration id; agents' own configurations start here. */
export const EXTENDED_CONFIG_FIRST = 0x4000;

/** Partitions of the nomenclature. */
export const PARTITION = { object: 1, scada: 2, dimension: 4, infrastructure: 8, diseaseManagement: 128 } as const;

/** A measured quantity: its standard name and the catalog key it maps to, when the catalog has one. */
export interface MetricInfo {
  readonly refId: string;
  /** Key in shared/catalog.ts (`undefined`: keep the value unmapped). */
  readonly catalogKey?: string;
}

/** Metric ids of partition SCADA (term codes), one row per quantity the family knows. */
export const METRICS: ReadonlyMap<number, MetricInfo> = new Map<number, MetricInfo>([
  [29112, { refId: 'MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD', catalogKey: 'glucoseMassMeter' }],
  [29116, { refId: 'MDC_CONC_GLU_CAPILLARY_PLASMA', catalogKey: 'glucoseMassMeter' }],
  [29136, { refId: 'MDC_CONC_GLU_CONTROL' }],
  [18948, { refId: 'MDC_PRESS_BLD_NONINV', catalogKey: 'bpPanel' }],
  [18949, { refId: 'MDC_PRESS_BLD_NONINV_SYS', catalogKey: 'bpSystolic' }],
  [18950, { refId: 'MDC_PRESS_BLD_NONINV_DIA', catalogKey: 'bpDiastolic' }],
  [18951, { refId: 'MDC_PRESS_BLD_NONINV_MEAN', catalogKey: 'bpMean' }],
  [18474, { refId: 'MDC_PULS_RATE_NON_INV', catalogKey: 'pulseRateNibp' }],
  [19384, { refId: 'MDC_PULS_OXIM_SAT_O2', catalogKey: 'spo2' }],
  [18458, { refId: 'MDC_PULS_OXIM_PULS_RATE', catalogKey: 'pulseRateOximeter' }],
  [57664, { refId: 'MDC_MASS_BODY_ACTUAL', catalogKey: 'bodyWeight' }],
  [57668, { refId: 'MDC_LEN_BODY_ACTUAL', catalogKey: 'bodyHeight' }],
  [57680, { refId: 'MDC_RATIO_MASS_BODY_LEN_SQ', catalogKey: 'bmi' }],
  [19292, { refId: 'MDC_TEMP_BODY', catalogKey: 'bodyTemperature' }],
]);

/** Unit codes (partition DIM) → UCUM, as the catalog spells them. */
export const UNITS: ReadonlyMap<number, { readonly refId: string; readonly ucum: string }> = new Map([
  [2130, { refId: 'MDC_DIM_MILLI_G_PER_DL', ucum: 'mg/dL' }],
  [4722, { refId: 'MDC_DIM_MILLI_MOLE_PER_L', ucum: 'mmol/L' }],
  [3872, { refId: 'MDC_DIM_MMHG', ucum: 'mm[Hg]' }],
  [3843, { refId: 'MDC_DIM_KILO_PASCAL', ucum: 'kPa' }],
  [2720, { refId: 'MDC_DIM_BEAT_PER_MIN', ucum: '/min' }],
  [544, { refId: 'MDC_DIM_PERCENT', ucum: '%' }],
  [1731, { refId: 'MDC_DIM_KILO_G', ucum: 'kg' }],
  [1760, { refId: 'MDC_DIM_LB', ucum: '[lb_av]' }],
  [1297, { refId: 'MDC_DIM_CENTI_M', ucum: 'cm' }],
  [1952, { refId: 'MDC_DIM_KG_PER_M_SQ', ucum: 'kg/m2' }],
  [6048, { refId: 'MDC_DIM_DEGC', ucum: 'Cel' }],
]);

/** The glucose metric and unit every 11073 glucometer (10417) reports, by name for the drivers. */
export const GLUCOSE = { capillaryWholeBlood: 29112, control: 29136, mgPerDl: 2130, mmolPerL: 4722 } as const;
