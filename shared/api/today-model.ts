import { z } from 'zod';
import { VISIT_STATES } from '../patients/patient-sources.ts';
import { PatientSexSchema } from '../patients/patient-sources.ts';

/**
 * The Today list (docs/architecture.md §8, "Patient context"): the patients scheduled or arrived
 * for this workstation today, as the patient sources told the hub, each with the visit to pick.
 */
export const TodayEntrySchema = z.object({
  /** The visit's id in the store: `selectPatient({ …, visitId })` picks this encounter. */
  visitId: z.string(),
  /** Scheduled or arrival time, ISO 8601 with offset. */
  time: z.string().optional(),
  patient: z.object({
    mrn: z.string(),
    name: z.string().optional(),
    birthDate: z.string().optional(),
    sex: PatientSexSchema.optional(),
  }),
  room: z.string().optional(),
  location: z.string().optional(),
  state: z.enum(VISIT_STATES),
  visitNumber: z.string().optional(),
  encounterId: z.string().optional(),
  /** The name of the source that told the hub about the visit (its id when it is no longer configured). */
  source: z.string(),
});
export type TodayEntry = z.infer<typeof TodayEntrySchema>;

export const TodayListSchema = z.object({
  entries: z.array(TodayEntrySchema),
  /** The workstation's local day the list is for, `YYYY-MM-DD`. */
  day: z.string(),
  /** When the sources were last asked (absent: never in this run, or no source to ask). */
  refreshedAt: z.string().optional(),
  /** Whether this hub can ask its sources again (a Refresh button). */
  canRefresh: z.boolean(),
  /** The sources are asked again at most this often when the list is opened. */
  refreshEveryMinutes: z.number().int().positive(),
  /** Why the last refresh failed, in words; the list then shows what the cache holds. */
  refreshProblem: z.string().optional(),
});
export type TodayList = z.infer<typeof TodayListSchema>;
