import { z } from 'zod';
import { HubError } from '../../shared/errors.ts';
import { SerialSettingsSchema, type Link } from '../../drivers/kit/index.ts';
import { openSerialLink } from './serial.ts';
import { openHidLink } from './hid.ts';
import { openTcpLink } from './tcp.ts';
import { openHttpLink } from './http.ts';
import { openUsbLink } from './usb.ts';
import { openFolderLink } from './folder.ts';

export { openSerialLink } from './serial.ts';
export { listSerialPorts, type SerialListResult } from './serial-list.ts';
export { listHidDevices, type HidListResult } from './hid.ts';
export { listenTcpLink, openTcpLink, type TcpListener } from './tcp.ts';
export { listUsbDevices, openUsbLink, type UsbDeviceInfo, type UsbListResult } from './usb.ts';

const UsbIdSchema = z.number().int().min(0).max(0xffff);

/**
 * Where a device is and how to reach it, as stored in port settings or given on the command line.
 * Validated here because it comes from configuration files and user input.
 */
export const LinkSpecSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('serial'),
    path: z.string().min(1),
    settings: SerialSettingsSchema,
    /** The DTR level the driver needs held (its manifest's `transport.dtr`); absent: the system default. */
    dtr: z.boolean().optional(),
  }),
  z
    .object({
      type: z.literal('hid'),
      path: z.string().min(1).optional(),
      vendorId: UsbIdSchema.optional(),
      productId: UsbIdSchema.optional(),
      /** Output report size without the report-id byte. */
      reportSize: z.number().int().positive(),
      /** Default 0: the device does not number its reports. */
      reportId: z.number().int().min(0).max(0xff).optional(),
      /** The driver writes each report's id as its byte 0 (the manifest's `transport.numberedByDriver`). */
      numberedByDriver: z.boolean().optional(),
    })
    .refine((spec) => spec.path !== undefined || (spec.vendorId !== undefined && spec.productId !== undefined), {
      message: 'a HID device is chosen by path or by both vendorId and productId',
    }),
  z.object({
    type: z.literal('tcp'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(0xffff),
    /** Default DEFAULT_CONNECT_TIMEOUT_MS (tcp.ts). */
    connectTimeoutMs: z.number().int().positive().optional(),
  }),
  /** A USB device's bulk endpoints through libusb (usb.ts): by bus path (`1-4.2`), by ids, or both. */
  z
    .object({
      type: z.literal('usb'),
      busPath: z.string().regex(/^\d+-\d+(\.\d+)*$/, 'a bus path looks like 1-4.2').optional(),
      vendorId: UsbIdSchema.optional(),
      productId: UsbIdSchema.optional(),
      /** Default: the first interface with a bulk IN and a bulk OUT endpoint. */
      interfaceNumber: z.number().int().min(0).max(0xff).optional(),
    })
    .refine((spec) => spec.busPath !== undefined || (spec.vendorId !== undefined && spec.productId !== undefined), {
      message: 'a USB device is chosen by bus path or by both vendorId and productId',
    }),
  /** A local web service (loopback only, checked by openHttpLink). */
  z.object({ type: z.literal('http'), url: z.string().min(1) }),
  /** A meter mounted as a disk: the newest file matching `pattern` under `path` (folder.ts). */
  z.object({ type: z.literal('folder'), path: z.string().min(1), pattern: z.string().min(1) }),
]);
export type LinkSpec = z.infer<typeof LinkSpecSchema>;

/**
 * Open the Link a spec describes. The spec is validated again here, since callers may hand on
 * parsed JSON; an invalid one rejects with CONFIG_INVALID, open failures with the transport's
 * own HubError.
 */
export async function openLink(input: LinkSpec): Promise<Link> {
  const parsed = LinkSpecSchema.safeParse(input);
  if (!parsed.success) {
    throw new HubError('CONFIG_INVALID', `invalid device connection: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  }
  const spec = parsed.data;
  switch (spec.type) {
    case 'serial':
      return openSerialLink(spec.path, spec.settings, { dtr: spec.dtr });
    case 'hid':
      return openHidLink(
        { path: spec.path, vendorId: spec.vendorId, productId: spec.productId },
        { reportSize: spec.reportSize, reportId: spec.reportId, numberedByDriver: spec.numberedByDriver },
      );
    case 'tcp':
      return openTcpLink(spec.host, spec.port, { connectTimeoutMs: spec.connectTimeoutMs });
    case 'http':
      return openHttpLink(spec.url);
    case 'folder':
      return openFolderLink(spec.path, spec.pattern);
    case 'usb':
      return openUsbLink({ busPath: spec.busPath, vendorId: spec.vendorId, productId: spec.productId }, { interfaceNumber: spec.interfaceNumber });
    default:
      return spec satisfies never;
  }
}
