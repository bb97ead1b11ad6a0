import { z } from 'zod';
import { commandFailure } from './output.ts';

/** `--hid 1a79:7410` (hex USB ids) or `--hid /dev/hidraw3`. */
export const HidArgSchema = z.string().transform((value, ctx) => {
  const ids = /^([0-9a-fA-F]{4}):([0-9a-fA-F]{4})$/.exec(value);
  if (ids) return { vendorId: parseInt(ids[1] ?? '', 16), productId: parseInt(ids[2] ?? '', 16) };
  if (value.startsWith('/') || /^\\\\\?\\/.test(value)) return { path: value };
  ctx.addIssue({ code: 'custom', message: `--hid takes vid:pid in hex (e.g. 1a79:7410) or a device path, not "${value}"` });
  return z.NEVER;
});

/** `--usb vid:pid` (hex, the first such device) or `--usb <bus path>` (`1-4.2`, as lsusb -t and sysfs name the socket). */
export const UsbArgSchema = z.string().transform((value, ctx) => {
  const ids = /^([0-9a-fA-F]{4}):([0-9a-fA-F]{4})$/.exec(value);
  if (ids) return { vendorId: parseInt(ids[1] ?? '', 16), productId: parseInt(ids[2] ?? '', 16) };
  if (/^\d+-\d+(\.\d+)*$/.test(value)) return { busPath: value };
  ctx.addIssue({ code: 'custom', message: `--usb takes vid:pid in hex (e.g. 173a:21d5) or a bus path (e.g. 1-4.2), not "${value}"` });
  return z.NEVER;
});

/** `--tcp host:port`. */
export const TcpArgSchema = z.string().transform((value, ctx) => {
  const m = /^(.+):(\d{1,5})$/.exec(value);
  const port = Number(m?.[2]);
  if (!m || !m[1] || port < 1 || port > 65535) {
    ctx.addIssue({ code: 'custom', message: `--tcp takes host:port, not "${value}"` });
    return z.NEVER;
  }
  return { host: m[1], port };
});

export const PositiveInt = (name: string) =>
  z.string().regex(/^\d+$/, `${name} must be a whole number`).transform(Number).refine((n) => n > 0, `${name} must be greater than 0`);
export const PositiveSeconds = (name: string) =>
  z.string().regex(/^\d+(\.\d+)?$/, `${name} takes seconds, e.g. 30 or 0.5`).transform(Number).refine((n) => n > 0, `${name} must be greater than 0`);

/** Validate command-line input (a trust boundary) and turn the first problem into one line. */
export function parseArgs<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ` : '';
  throw commandFailure('INPUT_INVALID', `${where}${issue?.message ?? 'invalid arguments'}`);
}

/** `--listen host:port`; port 0 asks the system for a free port (the one chosen is printed). */
export const ListenArgSchema = z.string().transform((value, ctx) => {
  const m = /^(.+):(\d{1,5})$/.exec(value);
  const port = Number(m?.[2]);
  if (!m || !m[1] || port > 65535) {
    ctx.addIssue({ code: 'custom', message: `--listen takes host:port, not "${value}"` });
    return z.NEVER;
  }
  return { host: m[1], port };
});
