/** GLUE record → observation, kind and flags (PROTOCOL.md §6), shared by every i-SENS link: drivers/families/isens/normalize.ts. */
export { FLAG, HIGH_MG_DL, KETONE_HIGH, LOW_MG_DL, normalizeRecord } from '../../families/isens/index.ts';
