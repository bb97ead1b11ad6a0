import { DRIVERS } from '../../drivers/index.ts';
import { manifestTransports, type DriverManifest, type TransportSpec } from '../../drivers/kit/index.ts';

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** A manifest as the command line shows it: USB ids in the usual `vvvv:pppp` hex form. */
function describeDriver(manifest: DriverManifest): Record<string, unknown> {
  return {
    id: manifest.id,
    name: manifest.name,
    manufacturer: manifest.manufacturer,
    models: manifest.models,
    category: manifest.category,
    kind: manifest.kind,
    transport: manifest.transport,
    ...(manifest.otherTransports ? { otherTransports: manifest.otherTransports } : {}),
    usb: manifest.usb.map((u) => ({ id: `${hex4(u.vendorId)}:${hex4(u.productId)}`, note: u.note })),
    checksum: manifest.checksum,
    options: manifest.options,
    commands: manifest.commands ?? [],
  };
}

/** Every link the driver takes, the primary first, in words. */
function transportText(m: DriverManifest): string {
  return manifestTransports(m).map(linkText).join('; or ');
}

function linkText(t: TransportSpec): string {
  if (t.type === 'hid') return `HID, ${t.reportSize}-byte reports`;
  if (t.type === 'usb') return `USB bulk endpoints, interface class 0x${t.interfaceClass.toString(16).padStart(2, '0')}`;
  if (t.type === 'http') return `HTTP, local service ${t.url}`;
  if (t.type === 'folder') return `report file ${t.pattern} on a mounted volume (a meter folder port, or --folder)`;
  if (t.type === 'tcp') return `TCP ${t.role === 'listen' ? 'listening' : t.role === 'connect' ? 'connecting to' : 'connecting or listening,'} port ${t.defaultPort}`;
  const s = t.serial;
  const parity = s.parity[0]?.toUpperCase() ?? 'N';
  const network = t.role === 'both' ? `, or TCP either way${t.defaultPort ? ` (port ${t.defaultPort})` : ''}` : '';
  return `serial ${s.baudRate} ${s.dataBits}${parity}${s.stopBits}${s.flowControl === 'none' ? '' : ` ${s.flowControl}`}${network}`;
}

/** `pochub drivers [--json]`. */
export function driversCommand(opts: { json?: boolean }, out: (line: string) => void): void {
  if (opts.json) {
    out(JSON.stringify(DRIVERS.map((d) => describeDriver(d.manifest)), null, 2));
    return;
  }
  for (const { manifest: m } of DRIVERS) {
    out(`${m.id}`);
    out(`  ${m.name} — ${m.category}, ${m.kind}, ${transportText(m)}`);
    if (m.usb.length > 0) out(`  USB: ${m.usb.map((u) => `${hex4(u.vendorId)}:${hex4(u.productId)}`).join(', ')}`);
    for (const c of m.commands ?? []) out(`  command ${c.id} (${c.label}): ${c.description}`);
    for (const o of m.options) out(`  option ${o.key} = ${String(o.default)}${o.unit ? ` ${o.unit}` : ''}: ${o.description}`);
  }
}
