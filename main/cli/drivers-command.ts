import { DRIVERS } from '../../drivers/index.ts';
import type { DriverManifest } from '../../drivers/kit/index.ts';

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
    usb: manifest.usb.map((u) => ({ id: `${hex4(u.vendorId)}:${hex4(u.productId)}`, note: u.note })),
    checksum: manifest.checksum,
    options: manifest.options,
    commands: manifest.commands ?? [],
  };
}

function transportText(m: DriverManifest): string {
  if (m.transport.type === 'hid') return `HID, ${m.transport.reportSize}-byte reports`;
  if (m.transport.type === 'usb') return `USB bulk endpoints, interface class 0x${m.transport.interfaceClass.toString(16).padStart(2, '0')}`;
  if (m.transport.type === 'http') return `HTTP, local service ${m.transport.url}`;
  if (m.transport.type === 'folder') return `report file ${m.transport.pattern} on a mounted volume (a meter folder port, or --folder)`;
  if (m.transport.type === 'tcp') return `TCP ${m.transport.role === 'listen' ? 'listening' : m.transport.role === 'connect' ? 'connecting to' : 'connecting or listening,'} port ${m.transport.defaultPort}`;
  const s = m.transport.serial;
  const parity = s.parity[0]?.toUpperCase() ?? 'N';
  const network = m.transport.role === 'both' ? `, or TCP either way${m.transport.defaultPort ? ` (port ${m.transport.defaultPort})` : ''}` : '';
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
