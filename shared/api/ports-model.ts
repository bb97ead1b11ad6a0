import { z } from 'zod';
import { DriverOptionValuesSchema } from '../driver-options.ts';
import { ReadingSchema } from '../reading.ts';
import { DeviceRoleSchema } from '../device-role.ts';
import { PORT_TRANSPORTS } from '../port-transports.ts';

/**
 * The biomed console's view of the workstation (docs/architecture.md §6): every port and USB device seen, the
 * driver matched to it, its settings, state and health, and the live protocol trace. Defined
 * once here; main/devices implements it, the renderer shows it.
 */

/** Serial line settings (the same shape as a driver manifest's defaults). */
export const PortSettingsSchema = z
  .object({
    baudRate: z.number().int().min(50).max(4_000_000),
    dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]),
    parity: z.enum(['none', 'even', 'odd', 'mark', 'space']),
    stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]),
    flowControl: z.enum(['none', 'xonxoff', 'rtscts']),
  })
  .strict();
export type PortSettings = z.infer<typeof PortSettingsSchema>;

/**
 * How discovery matched a port to the drivers, by USB id:
 * - `one`: exactly one driver fits (connected automatically when the port's autoConnect is on);
 * - `several`: several drivers fit, or several identical devices are plugged in — a person chooses;
 * - `unknown-adapter`: a USB-serial adapter no driver claims (any serial device could be behind it);
 * - `unsupported`: a device we know by its USB id but have no driver for (said so, by name);
 * - `none`: no USB ids (a built-in port, a pty added by hand, a TCP box).
 */
const PORT_MATCHES = ['one', 'several', 'unknown-adapter', 'unsupported', 'none'] as const;

const PORT_STATES = ['absent', 'idle', 'connecting', 'connected', 'error', 'simulator'] as const;

/** How port listing is doing: the biomed screen shows problems (udev missing …) and offers Scan now. */
export const DiscoveryStatusSchema = z.object({
  /** Listing every `pollMs` (off in demo mode; Scan now still lists). */
  polling: z.boolean(),
  pollMs: z.number().int(),
  lastScanAt: z.string().optional(),
  /** Why the last listing may be incomplete, each with what to do (e.g. install udev). */
  problems: z.array(z.string()),
});
export type DiscoveryStatus = z.infer<typeof DiscoveryStatusSchema>;

export const PortSchema = z.object({
  /** Stable id: `serial:<path>`, `hid:<path>`, `usb:<bus path>`, `tcp:<host>:<port>`, `listen:<host>:<port>`, `http:<url>`. */
  id: z.string(),
  transport: z.enum(PORT_TRANSPORTS),
  /** Device path; the bus path (`1-4.2`) for usb; host:port for TCP and listen; the service's URL for http. */
  path: z.string(),
  /** Seen by discovery, or added by hand (a pty, a TCP serial server). */
  origin: z.enum(['discovered', 'manual']),
  /** Plugged in right now (always true for manual ports that exist). */
  present: z.boolean(),
  usb: z
    .object({
      vendorId: z.number().int(),
      productId: z.number().int(),
      serialNumber: z.string().optional(),
      manufacturer: z.string().optional(),
      product: z.string().optional(),
    })
    .optional(),
  match: z.object({
    kind: z.enum(PORT_MATCHES),
    driverIds: z.array(z.string()),
    /** One plain sentence for the biomed screen, e.g. "Prolific PL2303 cable: OneTouch Ultra 2 or UltraEasy — choose one." */
    message: z.string(),
  }),
  /** The driver a person assigned (or discovery, for a single match). */
  assignment: z
    .object({
      driverId: z.string(),
      /** Serial ports: the settings in force (the driver's defaults unless changed). */
      settings: PortSettingsSchema.optional(),
      /** Driver options set for this port (absent: every option at the driver's default). */
      options: DriverOptionValuesSchema.optional(),
      autoConnect: z.boolean(),
      /** Who chose: discovery (single match) or a person. */
      by: z.enum(['discovery', 'person']),
      /** Where the device's results may go (the driver's default until biomed staff choose). */
      role: DeviceRoleSchema.optional(),
      /** True when biomed staff chose the role; false: the driver's default. */
      roleChosen: z.boolean().optional(),
      /** True when the role in force is the central configuration's role for this driver (the port chose none). */
      roleFromCentral: z.boolean().optional(),
      /** Option values the central configuration sets for this driver (in force where `options` sets none). */
      centralOptions: DriverOptionValuesSchema.optional(),
    })
    .optional(),
  state: z.enum(PORT_STATES),
  /** The device key (shared with DeviceStatus) once a session identified it. */
  deviceKey: z.string().optional(),
  /** A listening port while it listens: how many devices are connected to it right now. */
  connections: z.number().int().min(0).optional(),
  health: z.object({
    lastSeen: z.string().optional(),
    readings: z.number().int(),
    checksumErrors: z.number().int(),
    timeouts: z.number().int(),
    sessions: z.number().int(),
    lastError: z.string().optional(),
    /** Plain-language hints from what was seen, e.g. "No bytes at all: a power-only USB cable?" */
    hints: z.array(z.string()),
  }),
  /** Recording a trace of this port right now. */
  recording: z.boolean(),
});
export type Port = z.infer<typeof PortSchema>;

/** What the trace view shows for one chunk of bytes (or one frame, when the driver frames them). */
export const TraceEntrySchema = z.object({
  portId: z.string(),
  /** Increasing per port, so the view can ask for what came after what it has. */
  seq: z.number().int(),
  at: z.string(),
  direction: z.enum(['in', 'out']),
  /** The bytes as lower-case hex pairs separated by spaces. */
  hex: z.string(),
  /** The bytes as text, control characters as <STX>, <ETX>, <CR>, <LF>, <ENQ>, <ACK>, <NAK>, <EOT>… */
  text: z.string(),
  /** What the framing says, where the driver knows it. */
  frame: z
    .object({
      kind: z.enum(['stx-etx', 'astm', 'line', 'mllp', 'enq', 'ack', 'nak', 'eot', 'hid-report', 'http', 'packet', 'other']),
      checksum: z.enum(['good', 'bad', 'none']),
      note: z.string().optional(),
    })
    .optional(),
});
export type TraceEntry = z.infer<typeof TraceEntrySchema>;

export const SimulatorSchema = z.object({
  id: z.string(),
  driverId: z.string(),
  scenario: z.string(),
  /** The pty or serial port it plays on. */
  path: z.string(),
  startedAt: z.string(),
});
export type SimulatorInfo = z.infer<typeof SimulatorSchema>;

/** The result of replaying a trace file against a driver. */
export const ReplayResultSchema = z.object({
  readings: z.array(ReadingSchema),
  end: z.string(),
  problems: z.array(z.string()),
});
