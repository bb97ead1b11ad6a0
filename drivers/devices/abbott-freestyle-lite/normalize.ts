/**
 * A Lite record → kind, observations, flags (PROTOCOL.md §4): glucose in mg/dL, HI/LO at the
 * 20–500 range, control solution and lost time from the status byte. The family's rule, which
 * the Optium shares (its `K` records add β-ketone).
 */
export { normalizeRecord, GLUCOSE_RANGE_MG_DL, LOST_TIME_FLAG } from '../../families/freestyle-serial/normalize.ts';
