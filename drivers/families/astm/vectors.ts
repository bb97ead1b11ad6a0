/**
 * ASTM frames with known checksums, shared by the family's tests and by drivers' tests: the
 * published Contour frames and examples of drivers/devices/ascensia-contour-next/PROTOCOL.md §4,
 * and a constructed urine analyzer's message. Each entry is the frame number, the record text
 * with its CR, whether it ends with ETX, and its checksum (published, or computed and
 * cross-checked).
 */
export interface FrameVector {
  number: number;
  text: string;
  last: boolean;
  checksum: string;
}

/** The real Contour USB header record from glucometerutils' tests (Contour PROTOCOL.md §5), without its CR. */
export const CONTOUR_HEADER_TEXT =
  'H|\\^&||7w3LBL|Bayer7390^01.24\\01.04\\09.02.20^7390-2336773^7403-|A=1^C=63^G=1^I=0200^R=0^S=1^U=0^V=10600^X=070070070070180130150250^Y=360126090050099050300089^Z=1|1714||||||1|201909221304';

/** The example frames of Contour PROTOCOL.md §4 (H verified D7; Tidepool's captured R frame verified 74). */
export const CONTOUR_FRAMES: readonly FrameVector[] = [
  { number: 1, text: `${CONTOUR_HEADER_TEXT}\r`, last: false, checksum: 'D7' },
  { number: 2, text: 'P|1\r', last: false, checksum: '53' },
  { number: 3, text: 'R|1|^^^Glucose|93|mg/dL^P||A/M0/T1||201505261150\r', last: false, checksum: '70' },
  { number: 4, text: 'R|2|^^^Glucose|133|mg/dL^P||B/X||201202052034\r', last: false, checksum: 'BE' },
  { number: 5, text: 'L|1||N\r', last: true, checksum: '84' },
];

/** Tidepool's captured result frame (Contour PROTOCOL.md §4): `5R|3|…` with checksum 74. */
export const TIDEPOOL_R_FRAME: FrameVector = { number: 5, text: 'R|3|^^^Glucose|93|mg/dL^P||A/M0/T1||201505261150\r', last: false, checksum: '74' };

const LONG_COMMENT =
  'C|1|I|Specimen flagged for microscopy review: leukocytes and nitrite positive. Sample appeared turbid; colour yellow. Strip lot 4411A expires 2025-01-31. Operator confirmed visual read. Result transmitted automatically by the instrument after completion of the timed read cycle.|G\r';

/** A constructed urine analyzer's message to a LIS in E1394 layout (FN wrap 7 → 0 → 1, a comment split 240 + 41). */
export const LIS_FRAMES: readonly FrameVector[] = [
  { number: 1, text: 'H|\\^&|||UA-STRIP^1.04^SN20931|||||LIS||P|LIS2-A2|20240315093012\r', last: true, checksum: 'DB' },
  { number: 2, text: 'P|1||PID0042||Doe^Jane||19800101|F\r', last: true, checksum: '14' },
  { number: 3, text: 'O|1|SPC7781||^^^UA|R|20240315092500|||||||||U||||||||||F\r', last: true, checksum: 'FA' },
  { number: 4, text: 'R|1|^^^GLU|Negative|mg/dL|Negative|N||F||OP01||20240315093000|UA-STRIP\r', last: true, checksum: 'D4' },
  { number: 5, text: 'R|2|^^^BIL|Negative||Negative|N||F||OP01||20240315093000|UA-STRIP\r', last: true, checksum: '12' },
  { number: 6, text: 'R|3|^^^KET|5|mg/dL|Negative|A||F||OP01||20240315093000|UA-STRIP\r', last: true, checksum: 'C9' },
  { number: 7, text: 'R|4|^^^SG|1.020||1.005-1.030|N||F||OP01||20240315093000|UA-STRIP\r', last: true, checksum: '77' },
  { number: 0, text: 'R|5|^^^BLO|Negative||Negative|N||F||OP01||20240315093000|UA-STRIP\r', last: true, checksum: '16' },
  { number: 1, text: 'R|6|^^^PH|6.0||5.0-8.0|N||F||OP01||20240315093000|UA-STRIP\r', last: true, checksum: '57' },
  { number: 2, text: 'R|7|^^^PRO|30|mg/dL|Negative|A||F||OP01||20240315093000|UA-STRIP\r', last: true, checksum: '04' },
  { number: 3, text: 'R|8|^^^URO|0.2|E.U./dL|0.2-1.0|N||F||OP01||20240315093000|UA-STRIP\r', last: true, checksum: '80' },
  { number: 4, text: 'R|9|^^^NIT|Positive||Negative|A||F||OP01||20240315093000|UA-STRIP\r', last: true, checksum: '3F' },
  { number: 5, text: 'R|10|^^^LEU|Small||Negative|A||F||OP01||20240315093000|UA-STRIP\r', last: true, checksum: '09' },
  { number: 6, text: LONG_COMMENT.slice(0, 240), last: false, checksum: '93' },
  { number: 7, text: LONG_COMMENT.slice(240), last: true, checksum: 'DE' },
  { number: 0, text: 'L|1|N\r', last: true, checksum: '03' },
];

/** The urine analyzer message's comment record, whole (without CR), as the receiver must reassemble it. */
export const LIS_LONG_COMMENT = LONG_COMMENT.slice(0, -1);
