import { z } from 'zod';
import { INPUT_LIMITS } from '../api/input-limits.ts';
import { PatientSourceSchema, SourcePatientSchema, VisitSchema } from './patient-sources.ts';

/**
 * What asking the patient sources about one MRN gave (docs/patient-sources.md):
 * - `found`: a source vouches for the patient (`cached` when an ADT feed told the hub earlier, so no
 *   network call was made); `mergedFrom` is the MRN asked for when it was merged into this one;
 * - `not-found`: every source answered and none knows the MRN (`asked`: their names);
 * - `unreachable`: a source did not answer and none that did knows the MRN (`reason` says why, in words);
 * - `no-sources`: no enabled patient source is configured.
 */
export const LookupResultSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('found'),
    patient: SourcePatientSchema,
    sourceId: z.string(),
    sourceName: z.string(),
    cached: z.boolean(),
    mergedFrom: z.string().optional(),
  }),
  z.object({ state: z.literal('not-found'), asked: z.array(z.string()) }),
  z.object({ state: z.literal('unreachable'), reason: z.string() }),
  z.object({ state: z.literal('no-sources') }),
]);
export type LookupResult = z.infer<typeof LookupResultSchema>;

/** A patient source as lists show it: its settings (never a secret) and whether a secret is stored. */
export const PatientSourceViewSchema = z.object({ source: PatientSourceSchema, hasSecret: z.boolean(), updatedAt: z.string() });
export type PatientSourceView = z.infer<typeof PatientSourceViewSchema>;

/** Save a source: `secret` (a bearer token) is write-only; null removes it, absent keeps it. */
export const SavePatientSourceInputSchema = z
  .object({ source: PatientSourceSchema, secret: z.string().trim().min(1).max(INPUT_LIMITS.secret).nullable().optional() })
  .strict();
export type SavePatientSourceInput = z.input<typeof SavePatientSourceInputSchema>;

/** Today's schedule after a refresh: the cached visits of the local day, and what went wrong. */
export const TodayResultSchema = z.object({ visits: z.array(VisitSchema), problems: z.array(z.string()) });
export type TodayResult = z.infer<typeof TodayResultSchema>;
