/** How the trace view renders bytes (the contract's `TraceEntry.hex` and `.text`). */

const CONTROL_NAMES: Readonly<Record<number, string>> = {
  0x02: 'STX',
  0x03: 'ETX',
  0x04: 'EOT',
  0x05: 'ENQ',
  0x06: 'ACK',
  0x0a: 'LF',
  0x0d: 'CR',
  0x15: 'NAK',
  0x17: 'ETB',
};

/** Lower-case hex pairs separated by single spaces: `02 31 0d`. */
export function traceHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Printable ASCII as is; the protocol control bytes by name (`<STX>`); any other byte as `<xx>`.
 * Joined from parts rather than grown with `+=`: the trace ring keeps these strings for minutes,
 * and a string grown one byte at a time stays a chain of one small heap object per byte (about
 * 30 times its length in memory) until something flattens it (docs/architecture.md §12).
 */
export function traceText(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (const b of bytes) {
    const name = CONTROL_NAMES[b];
    if (name) parts.push(`<${name}>`);
    else if (b >= 0x20 && b < 0x7f) parts.push(String.fromCharCode(b));
    else parts.push(`<${b.toString(16).padStart(2, '0')}>`);
  }
  return parts.join('');
}
