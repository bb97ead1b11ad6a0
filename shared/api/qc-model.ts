import { z } from 'zod';
import { CATALOG } from '../catalog.ts';
import { UNITS } from '../units.ts';

/**
 * Quality control (docs/architecture.md §8 rule 11): control lots with their expected ranges, the
 * pass/fail evaluation of a control result against one lot and level, each device's QC interval,
 * and the lock that a failed or overdue QC puts on a device's patient results.
 */

/** Stated limits of the lot form's fields (the page shows them; the contract refuses more). */
export const QC_LIMITS = { lotNumber: 40, level: 20, levels: 6, lotId: 100, deviceKey: 300, intervalHours: 24 * 31 } as const;

const CatalogKeySchema = z.enum(Object.keys(CATALOG) as [keyof typeof CATALOG, ...(keyof typeof CATALOG)[]]);
const UnitSchema = z.enum(Object.keys(UNITS) as [keyof typeof UNITS, ...(keyof typeof UNITS)[]]);

/** One level of a control lot ('low', 'normal', 'high' or '1', '2', '3'…) and its expected range. */
export const QcLevelSchema = z
  .object({
    level: z.string().trim().min(1).max(QC_LIMITS.level),
    low: z.number().finite(),
    high: z.number().finite(),
  })
  .strict()
  .refine((l) => l.low <= l.high, { message: 'the low end of a range must not be above its high end' });
export type QcLevel = z.infer<typeof QcLevelSchema>;

/** What an admin saves: a new lot (no id) or changes to one (its id). */
export const SaveQcLotInputSchema = z
  .object({
    id: z.string().min(1).max(QC_LIMITS.lotId).optional(),
    lotNumber: z.string().trim().min(1).max(QC_LIMITS.lotNumber),
    /** The catalog key of the analyte, e.g. `glucoseMassMeter`. */
    analyte: CatalogKeySchema,
    unit: UnitSchema,
    /** Last day the lot may be used, `YYYY-MM-DD`. */
    expiresOn: z.iso.date(),
    levels: z.array(QcLevelSchema).min(1).max(QC_LIMITS.levels),
  })
  .strict();
export type SaveQcLotInput = z.infer<typeof SaveQcLotInputSchema>;

/** A control lot as the hub keeps it. */
export const QcLotSchema = z.object({
  id: z.string(),
  lotNumber: z.string(),
  analyte: CatalogKeySchema,
  unit: UnitSchema,
  expiresOn: z.string(),
  levels: z.array(z.object({ level: z.string(), low: z.number(), high: z.number() })),
  retired: z.boolean(),
  updatedAt: z.string(),
});
export type QcLot = z.infer<typeof QcLotSchema>;

export const QC_VERDICTS = ['pass', 'fail'] as const;

/** The evaluation of one control result: what it was compared with, and the verdict. */
export const QcEvaluationSchema = z.object({
  lotId: z.string(),
  lotNumber: z.string(),
  level: z.string(),
  low: z.number(),
  high: z.number(),
  unit: z.string(),
  /** The control's value as the device reported it, e.g. `320` or `>600`. */
  value: z.string(),
  verdict: z.enum(QC_VERDICTS),
  /** Why it failed, in words ("out of range", "lot expired"); absent for a pass. */
  reason: z.string().optional(),
  /** Who chose the lot and level; absent when the device reported them. */
  evaluatedBy: z.object({ id: z.string(), name: z.string() }).optional(),
  evaluatedAt: z.string(),
});
export type QcEvaluation = z.infer<typeof QcEvaluationSchema>;

/**
 * Why a device's patient results may not be confirmed: its latest evaluated control failed, or
 * its QC is overdue. `message` says so in plain words, with what to do.
 */
export const QcLockSchema = z.object({
  reason: z.enum(['failed', 'overdue']),
  message: z.string(),
  /** The failed control, when a failure caused the lock. */
  controlReadingId: z.string().optional(),
});
export type QcLock = z.infer<typeof QcLockSchema>;

/** A device's QC interval: a passing control is required at least every `intervalHours`. */
export const QcPolicySchema = z.object({ deviceKey: z.string(), intervalHours: z.number(), updatedAt: z.string() });
export type QcPolicy = z.infer<typeof QcPolicySchema>;

export const EvaluateQcInputSchema = z
  .object({ readingId: z.string().min(1).max(100), lotId: z.string().min(1).max(QC_LIMITS.lotId), level: z.string().trim().min(1).max(QC_LIMITS.level) })
  .strict();

export const SetQcPolicyInputSchema = z
  .object({
    deviceKey: z.string().min(1).max(QC_LIMITS.deviceKey),
    /** null: no QC requirement for this device (the default). */
    intervalHours: z.number().int().min(1).max(QC_LIMITS.intervalHours).nullable(),
  })
  .strict();
