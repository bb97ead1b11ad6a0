import { z } from 'zod';
import { DriverOptionSpecSchema, optionProblem } from '../../shared/driver-options.ts';
import { HubError } from '../../shared/errors.ts';

/** Serial line settings; the driver's defaults, which biomed staff may override per port. */
export const SerialSettingsSchema = z.object({
  baudRate: z.number().int().positive(),
  dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]),
  parity: z.enum(['none', 'even', 'odd', 'mark', 'space']),
  stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]),
  flowControl: z.enum(['none', 'xonxoff', 'rtscts']),
});
export type SerialSettings = z.infer<typeof SerialSettingsSchema>;

export const TransportSpecSchema = z.discriminatedUnion('type', [
  /**
   * A serial device. Any serial driver also runs through a serial-to-Ethernet box (the hub
   * connects). `role: 'both'`: the device may also speak the same protocol over TCP by itself,
   * connecting to a port the hub listens on (`defaultPort`) or being connected to — LIS-class
   * analyzers offer both (docs/architecture.md §6).
   */
  z.object({
    type: z.literal('serial'),
    serial: SerialSettingsSchema,
    role: z.literal('both').optional(),
    defaultPort: z.number().int().min(1).max(0xffff).optional(),
    /**
     * Hold the DTR line at this level once the port is open (`false`: low). Absent: the system's
     * default (most systems raise DTR on open). Not a per-port setting: it is what the device needs,
     * e.g. a Clinitek 50 enters programming mode when DTR is high (drivers/devices/siemens-clinitek-50/PROTOCOL.md §1).
     */
    dtr: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('hid'),
    reportSize: z.number().int().positive(),
    /**
     * The driver writes each output and feature report's id as its byte 0, and the transport sends
     * it unpadded: a CP2110 bridge numbers its data reports by their length (drivers/families/cp2110).
     */
    numberedByDriver: z.literal(true).optional(),
  }),
  /** A local web service on this workstation, reached through the HTTP link (drivers/kit/http-exchange.ts). */
  z.object({ type: z.literal('http'), url: z.string().url() }),
  // A file on a mounted volume (PROTOCOL.md of roche-accu-chek-mobile): the link reads the newest file matching `pattern` under the port's folder.
  z.object({ type: z.literal('folder'), pattern: z.string().min(1) }),
  /**
   * A device on the network that speaks over TCP itself (not a serial box): `connect` — the hub
   * connects to the device's `defaultPort`; `listen` — the device connects to a port the hub
   * listens on; `both` — the protocol family has dialects of each kind.
   */
  z.object({ type: z.literal('tcp'), role: z.enum(['connect', 'listen', 'both']), defaultPort: z.number().int().min(1).max(0xffff) }),
  /**
   * A USB device that is neither serial nor HID: the driver's bytes go over the bulk endpoints of
   * the interface of this class (0x0F: Personal Healthcare Device Class), found by the USB ids.
   */
  z.object({ type: z.literal('usb'), interfaceClass: z.number().int().min(0).max(0xff) }),
]);

/** One link a driver reads its device over (drivers/kit/manifest.ts `transport`, `otherTransports`). */
export type TransportSpec = z.infer<typeof TransportSpecSchema>;
/** The kinds of link a manifest can declare. */
export type TransportKind = TransportSpec['type'];

const UsbIdSchema = z.object({
  vendorId: z.number().int().min(0).max(0xffff),
  productId: z.number().int().min(0).max(0xffff),
  /** What the id is: the meter itself, or a USB-serial cable sold for it. */
  note: z.string(),
});

/** A driver option shown to biomed staff, with its default (always documented, docs/adding-a-driver.md §3) that passes its own rules. */
const DriverOptionSchema = DriverOptionSpecSchema.refine((o) => typeof o.default === o.type, { message: 'the default must be of the option type' }).refine(
  (o) => optionProblem(o, o.default) === undefined,
  { message: 'the default must lie within min/max and choices' },
);

/**
 * A command a person may send to the device (docs/adding-a-driver.md §3): the id is what the
 * API and `pochub read --command` name, the label what the device card's button shows.
 */
export const DeviceCommandSpecSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a command id is kebab-case'),
  label: z.string().min(1),
  description: z.string().min(1),
});
export type DeviceCommandSpec = z.infer<typeof DeviceCommandSpecSchema>;

/** Deadlines of the lifecycle steps, in milliseconds. */
const DeadlinesSchema = z.object({
  probeMs: z.number().int().positive(),
  openMs: z.number().int().positive(),
  identifyMs: z.number().int().positive(),
  closeMs: z.number().int().positive(),
});

export const DriverManifestSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)+$/, 'id is <vendor>-<model> in kebab-case'),
  name: z.string().min(1),
  manufacturer: z.string().min(1),
  models: z.array(z.string().min(1)).min(1),
  category: z.enum(['vitals', 'glucose', 'urine']),
  kind: z.enum(['discrete', 'download', 'continuous']),
  /** The primary link: what the simulator, demo and conformance suite use. */
  transport: TransportSpecSchema,
  /**
   * Further links the same protocol reaches the device over (docs/adding-a-driver.md §3): each of
   * another kind than `transport` and each other. The session sees which one it was given by its
   * Link's `mode` (and its `usb` ids on HID); ask `transportFor` for the spec of a kind.
   */
  otherTransports: z.array(TransportSpecSchema).optional(),
  usb: z.array(UsbIdSchema),
  /** Does the link layer carry a checksum? Decides which conformance checks apply. */
  checksum: z.boolean(),
  /**
   * Downloads: `none` when the protocol has no way to read the device clock (no `device-clock`
   * event; stored times are kept as the device wrote them). Default: the driver reads it.
   */
  deviceClock: z.enum(['read', 'none']).optional(),
  options: z.array(DriverOptionSchema),
  /** Commands the driver accepts from a person (absent: none). */
  commands: z.array(DeviceCommandSpecSchema).optional(),
  deadlines: DeadlinesSchema,
  /** What to tell a person when nothing valid arrives (wrong baud, cable, device mode). */
  hints: z.array(z.string().min(1)).min(1),
  /**
   * Operating systems (Node's `process.platform` names) where the driver cannot reach the device
   * yet, each with why, said as the error before anything is opened. Absent: every OS.
   */
  unsupportedOn: z.array(z.object({ platform: z.enum(['linux', 'win32', 'darwin']), why: z.string().min(1) })).optional(),
}).refine((m) => new Set(linkKinds(m)).size === 1 + (m.otherTransports?.length ?? 0), {
  message: 'each link kind is declared once: otherTransports may not repeat transport\'s kind or each other',
  path: ['otherTransports'],
});
export type DriverManifest = z.infer<typeof DriverManifestSchema>;

/** The part of a manifest that says which links the driver takes. */
export interface ManifestLinks {
  readonly transport: TransportSpec;
  readonly otherTransports?: readonly TransportSpec[] | undefined;
}

/** Every link spec of a manifest, the primary first. */
export function manifestTransports(manifest: ManifestLinks): readonly TransportSpec[] {
  return [manifest.transport, ...(manifest.otherTransports ?? [])];
}

/** Which kinds of link this driver takes: the one answer every port, CLI and discovery check asks. */
export function linkKinds(manifest: ManifestLinks): readonly TransportKind[] {
  return manifestTransports(manifest).map((t) => t.type);
}

/** The driver's spec for links of `kind` (its serial settings, HID report size, …), or undefined when it takes no such link. */
export function transportFor<K extends TransportKind>(manifest: ManifestLinks, kind: K): Extract<TransportSpec, { type: K }> | undefined {
  return manifestTransports(manifest).find((t): t is Extract<TransportSpec, { type: K }> => t.type === kind);
}
export type DriverOption = z.infer<typeof DriverOptionSchema>;
export type DriverOptionValues = Readonly<Record<string, number | boolean | string>>;

/** The option values of a manifest, defaults filled in, overrides checked against their types and ranges (CONFIG_INVALID naming the option). */
export function resolveOptions(manifest: DriverManifest, overrides: Record<string, unknown> = {}): DriverOptionValues {
  const out: Record<string, number | boolean | string> = {};
  for (const option of manifest.options) {
    const given = overrides[option.key];
    if (given === undefined) {
      out[option.key] = option.default;
      continue;
    }
    const problem = optionProblem(option, given);
    if (problem) throw new HubError('CONFIG_INVALID', problem, { details: { option: option.key } });
    out[option.key] = given as number | boolean | string;
  }
  for (const key of Object.keys(overrides)) {
    if (!manifest.options.some((o) => o.key === key)) throw new HubError('CONFIG_INVALID', `unknown option ${key} for ${manifest.id}`, { details: { option: key } });
  }
  return out;
}

/** The error to show instead of opening the device on `platform`, where the manifest says the driver cannot run there yet. */
export function platformSupportError(manifest: Pick<DriverManifest, 'name' | 'unsupportedOn'>, platform: string): HubError | undefined {
  const entry = manifest.unsupportedOn?.find((u) => u.platform === platform);
  return entry ? new HubError('TRANSPORT_OPEN_FAILED', `${manifest.name} cannot be read on this computer yet. ${entry.why}`) : undefined;
}

/** Common default deadlines; drivers override what their protocol needs. */
export const DEFAULT_DEADLINES = { probeMs: 3000, openMs: 2000, identifyMs: 5000, closeMs: 2000 } as const;
