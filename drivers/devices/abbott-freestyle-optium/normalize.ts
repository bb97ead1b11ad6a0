/**
 * An Optium record → kind, observations, flags (PROTOCOL.md §5): `G` glucose in mg/dL (HI/LO at
 * 20–500), `K` β-ketone in mmol/L = raw / 18 (HI above 8.0), control and lost time from the
 * status byte; the display-unit flag from `$colq`. The family's rule, shared with the Lite.
 */
export { normalizeRecord, GLUCOSE_RANGE_MG_DL, KETONE_HIGH_MMOL_L, KETONE_RAW_PER_MMOL, LOST_TIME_FLAG, MMOL_DISPLAY_FLAG } from '../../families/freestyle-serial/normalize.ts';
