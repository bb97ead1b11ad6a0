import { z } from 'zod';
import { PortSettingsSchema } from '../api/ports-model.ts';
import { DriverOptionValuesSchema } from '../driver-options.ts';
import { ExportTargetSchema } from '../export/targets.ts';
import { DEFAULT_MEMORY_WINDOW_MINUTES, DeviceRoleSchema, MEMORY_WINDOW_LIMITS } from '../device-role.ts';
import { PORT_TRANSPORTS } from '../port-transports.ts';
import { CACHE_LIMITS, PatientSourceSchema } from '../patients/patient-sources.ts';
import { SaveQcLotInputSchema } from '../api/qc-model.ts';
import { DriverDefaultSchema } from './driver-defaults.ts';

/**
 * One workstation's configuration as a file (docs/architecture.md §6): its ports and the drivers assigned to
 * them with their settings, discovery options and export targets — so clinic IT sets up one
 * workstation and rolls the same file out to many. Secrets are never in it (tokens are entered
 * on each workstation; SMART keys are files named by path). Import validates everything and
 * names the field of the first problem.
 */
export const CONFIG_FORMAT = 'pochub-workstation-config';

export const ConfiguredPortSchema = z
  .object({
    transport: z.enum(PORT_TRANSPORTS),
    /**
     * Device path (`/dev/ttyUSB0`, `/dev/serial/by-id/…`, `/dev/hidraw3`), `host:port` for TCP (the
     * hub connects) and listen (the hub listens there), the service's URL for http, or the absolute
     * path of a meter's mounted folder for folder.
     */
    path: z.string().min(1).max(500),
    driverId: z.string().min(1).max(100),
    settings: PortSettingsSchema.optional(),
    /** Driver options by key (see `pochub drivers --json`). */
    options: DriverOptionValuesSchema.optional(),
    autoConnect: z.boolean().default(true),
    /** Where the device's results may go: bedside, shared or memory (absent: the driver's default). */
    role: DeviceRoleSchema.optional(),
  })
  .strict();
export type ConfiguredPort = z.infer<typeof ConfiguredPortSchema>;

/**
 * A control lot as a file carries it (docs/architecture.md §8 rule 11): known by lot number and
 * analyte, never by a workstation's internal id.
 */
export const ConfiguredQcLotSchema = SaveQcLotInputSchema.omit({ id: true });
export type ConfiguredQcLot = z.infer<typeof ConfiguredQcLotSchema>;

export const WorkstationConfigSchema = z
  .object({
    format: z.literal(CONFIG_FORMAT),
    version: z.literal(1),
    exportedAt: z.string().optional(),
    exportedFrom: z.string().max(200).optional(),
    discovery: z
      .object({
        /** Connect a port automatically when exactly one driver matches its USB id. */
        autoConnect: z.boolean().default(true),
        /** How often ports and HID devices are listed (hotplug). */
        pollMs: z.number().int().min(500).max(60_000).default(2_000),
      })
      .strict()
      .default({ autoConnect: true, pollMs: 2_000 }),
    /**
     * Signed-in screens lock after this many minutes without activity (docs/architecture.md §8).
     * Absent (a file from before): the workstation keeps its setting.
     */
    sessions: z
      .object({ lockAfterMinutes: z.number().positive().max(720) })
      .strict()
      .optional(),
    /** Review rules of this workstation (docs/architecture.md §8). */
    review: z
      .object({
        /** A result measured longer ago than this (minutes) shows its age and is confirmed only after a second question. */
        resultAgeMinutes: z.number().int().min(1).max(43_200).default(60),
      })
      .strict()
      .default({ resultAgeMinutes: 60 }),
    ports: z.array(ConfiguredPortSchema).max(256).default([]),
    /** The memory import (docs/architecture.md §8): results measured within this many minutes are pre-selected. */
    memoryImport: z
      .object({
        recentWindowMinutes: z
          .number({ error: 'the recent window is a whole number of minutes' })
          .int({ error: 'the recent window is a whole number of minutes' })
          .min(MEMORY_WINDOW_LIMITS.min, { error: `the recent window is at least ${MEMORY_WINDOW_LIMITS.min} minutes` })
          .max(MEMORY_WINDOW_LIMITS.max, { error: `the recent window is at most ${MEMORY_WINDOW_LIMITS.max} minutes (a week)` })
          .default(DEFAULT_MEMORY_WINDOW_MINUTES),
      })
      .strict()
      .default({ recentWindowMinutes: DEFAULT_MEMORY_WINDOW_MINUTES }),
    exportTargets: z.array(ExportTargetSchema).max(32).default([]),
    /**
     * Patient sources (docs/patient-sources.md), never their tokens. Absent (a file from before, or
     * a workstation with none): the workstation keeps its sources.
     */
    patientSources: z.array(PatientSourceSchema).max(16).optional(),
    /**
     * How long this workstation keeps what patient sources told it about a patient or visit not
     * used since (privacy). Absent: unchanged.
     */
    patientCache: z
      .object({
        expireHours: z
          .number({ error: 'the cache time is a whole number of hours' })
          .int({ error: 'the cache time is a whole number of hours' })
          .min(CACHE_LIMITS.minHours, { error: `the cache keeps things at least ${CACHE_LIMITS.minHours} hour` })
          .max(CACHE_LIMITS.maxHours, { error: `the cache keeps things at most ${CACHE_LIMITS.maxHours} hours (30 days)` }),
      })
      .strict()
      .optional(),
    /**
     * Control lots in use (added, or changed by lot number and analyte; never retired by a file).
     * Absent (a file from before, or no lots): the workstation keeps its lots.
     */
    qcLots: z.array(ConfiguredQcLotSchema).max(64).optional(),
    /**
     * Option values and device roles per driver, for every port of that driver whatever its path
     * (a port's own value wins and is listed as a local override). Absent (a file from before):
     * the workstation keeps its driver defaults; present, it replaces them.
     */
    drivers: z.array(DriverDefaultSchema).max(256).optional(),
  })
  .strict();
export type WorkstationConfig = z.infer<typeof WorkstationConfigSchema>;
export type WorkstationConfigInput = z.input<typeof WorkstationConfigSchema>;
