/** Byte helpers shared by framers and decoders; devices speak ASCII or Latin-1. */

/** Bytes to a string, one char per byte (Latin-1), so no byte is ever lost or merged. */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i] ?? 0);
  return s;
}

/** A string of U+0000..U+00FF to bytes, one byte per char. */
export function fromLatin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `02 41 0D` style hex, for messages and traces. */
export function toHex(bytes: Uint8Array, max = Number.POSITIVE_INFINITY): string {
  const shown = Array.from(bytes.subarray(0, Math.min(bytes.length, max)), (b) => b.toString(16).toUpperCase().padStart(2, '0'));
  return shown.join(' ') + (bytes.length > max ? ` … (${bytes.length} bytes)` : '');
}

/** Printable rendering of bytes for one-line messages: control bytes as <STX>, <CR> … */
export function describeBytes(bytes: Uint8Array, max = 60): string {
  const names: Record<number, string> = { 2: 'STX', 3: 'ETX', 4: 'EOT', 5: 'ENQ', 6: 'ACK', 10: 'LF', 13: 'CR', 21: 'NAK', 23: 'ETB' };
  let s = '';
  for (const b of bytes.subarray(0, max)) {
    const name = names[b];
    s += name ? `<${name}>` : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `<${b.toString(16).toUpperCase().padStart(2, '0')}>`;
  }
  return bytes.length > max ? `${s}…` : s;
}
