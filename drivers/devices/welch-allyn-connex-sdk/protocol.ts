import { z } from 'zod';

/**
 * The Connectivity SDK service's JSON API (PROTOCOL.md §1–2). Every field value is a string;
 * the shapes are [INFERRED] from independent client programs, so the schemas accept extra
 * fields and missing ones, and the decoder, not the schema, judges each value.
 */

/** Where the service listens (PROTOCOL.md §1); the HTTPS port 9234 is not used. */
export const SERVICE_URL = 'http://127.0.0.1:9233';
/** The path prefix of every call. */
export const BASE_PATH = '/WelchAllyn/Device';

/** The request paths the driver asks for. */
export const PATHS = {
  devices: `${BASE_PATH}/GetDevices`,
  current: (deviceId: string) => `${BASE_PATH}/GetCurrentReading?deviceid=${encodeURIComponent(deviceId)}`,
  stored: (deviceId: string) => `${BASE_PATH}/GetReadings?deviceid=${encodeURIComponent(deviceId)}`,
} as const;

/** Text fields: the service writes strings; a number is accepted and turned into its text. */
const Text = z.union([z.string().max(200), z.number().transform(String)]).optional();

/** One entry of `GetDevices` (PROTOCOL.md §2.1). */
export const DeviceEntrySchema = z.looseObject({
  deviceid: z.string().min(1).max(100),
  modelname: Text,
  modelnumber: Text,
  serialnumber: Text,
  firmware: Text,
  tempdisplayunit: Text,
  nibpdisplayunit: Text,
  heightdisplayunit: Text,
  weightdisplayunit: Text,
});
export type DeviceEntry = z.infer<typeof DeviceEntrySchema>;
export const DeviceListSchema = z.array(DeviceEntrySchema).max(64);

/** The measured fields of a reading, in the order the PROTOCOL.md §2.2 table gives them. */
export const VALUE_FIELDS = ['systolic', 'diastolic', 'map', 'pulse', 'hr', 'o2sat', 'respiration', 'temperature', 'height', 'weight', 'bmi', 'pain'] as const;
export type ValueField = (typeof VALUE_FIELDS)[number];

/** One reading of `GetCurrentReading` or `GetReadings` (PROTOCOL.md §2.2). */
export const ReadingEntrySchema = z.looseObject({
  reading: Text,
  date: Text,
  patientid: Text,
  clinicianid: Text,
  ...Object.fromEntries(VALUE_FIELDS.map((f) => [f, Text])),
});
export type ReadingEntry = { reading?: string; date?: string; patientid?: string; clinicianid?: string } & Partial<Record<ValueField, string>>;
export const ReadingListSchema = z.array(ReadingEntrySchema).max(10_000);

/** The text the service writes for "not measured" (PROTOCOL.md §2.3). */
export const NOT_MEASURED = '0';

/** Longest request envelope line the simulator accepts (path plus `GET `). */
export const MAX_REQUEST_LINE = 2100;
