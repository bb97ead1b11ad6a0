import { z } from 'zod';
import { ObservationSchema } from './observation.ts';

/** Who made a reading: what the device says of itself, merged with what the driver knows. */
export const DeviceIdentitySchema = z.object({
  manufacturer: z.string(),
  model: z.string(),
  serial: z.string().optional(),
  firmware: z.string().optional(),
});
export type DeviceIdentity = z.infer<typeof DeviceIdentitySchema>;

export const READING_KINDS = ['patient', 'control', 'calibration'] as const;
export type ReadingKind = (typeof READING_KINDS)[number];

/** Local date-time as the device printed it, without a zone: `YYYY-MM-DDTHH:MM[:SS]`. */
const LocalDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/);
/** An instant with an offset, as FHIR wants it. */
const OffsetDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);

/** Which clock an effective time rests on, and the skew seen between the device and us. */
const ClockInfoSchema = z.object({
  source: z.enum(['device', 'workstation', 'device-corrected']),
  /** workstation time minus device time, in seconds, when both were known. */
  skewSeconds: z.number().optional(),
});

/**
 * Reading JSON, version 1 (docs/trace-format.md §2): what `pochub replay`, `pochub read` and the API
 * print. Optional fields may be added; none may be removed or change meaning.
 */
export const ReadingSchema = z.object({
  driver: z.string(),
  device: DeviceIdentitySchema,
  kind: z.enum(READING_KINDS),
  deviceTime: LocalDateTime.optional(),
  receivedAt: OffsetDateTime,
  effectiveTime: OffsetDateTime,
  clock: ClockInfoSchema.optional(),
  observations: z.array(ObservationSchema),
  flags: z.array(z.string()),
  /** What the device said of the sample: its own sequence number, sample/patient id, operator. */
  context: z
    .object({
      sequence: z.string().optional(),
      sampleId: z.string().optional(),
      operatorId: z.string().optional(),
      method: z.string().optional(),
      /** Control results: the control lot and level, when the device records them (docs/architecture.md §8 rule 11). */
      controlLot: z.string().max(40).optional(),
      controlLevel: z.string().max(20).optional(),
      /**
       * What an analyzer that keeps patient records (ASTM P record) said of the patient: its
       * patient id and the name as sent. Hints for matching a shared analyzer's result to its
       * patient, never an identification (docs/architecture.md §8).
       */
      patientId: z.string().max(60).optional(),
      patientName: z.string().max(120).optional(),
      /** Comments the device attached to the result (ASTM C records), as sent. */
      notes: z.array(z.string().max(2000)).max(20).optional(),
    })
    .optional(),
});
export type Reading = z.infer<typeof ReadingSchema>;
