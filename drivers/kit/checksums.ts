/**
 * Checksums used by device link layers. Each is checked against published vectors in
 * checksums.test.ts (python-astm, the catalogue check values, and the device protocols' own
 * published examples).
 */

/** Sum of bytes modulo 256 (ASTM E1381, Clinitek 50, Nonin DF7). */
export function sum8(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s = (s + (bytes[i] ?? 0)) & 0xff;
  return s;
}

/** Sum of bytes modulo 65536 (LifeScan ASCII lines). */
export function sum16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s = (s + (bytes[i] ?? 0)) & 0xffff;
  return s;
}

/** XOR of bytes (Omron HID). */
export function xor8(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s ^= bytes[i] ?? 0;
  return s;
}

/** CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, not reflected, no final XOR. */
export function crc16CcittFalse(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) {
    crc ^= (bytes[i] ?? 0) << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** CRC-16/X-25 (PPP FCS-16): reflected poly 0x8408, init 0xFFFF, final ones' complement. */
export function crc16X25(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let fcs = 0xffff;
  for (let i = start; i < end; i++) {
    fcs ^= bytes[i] ?? 0;
    for (let b = 0; b < 8; b++) fcs = fcs & 1 ? (fcs >>> 1) ^ 0x8408 : fcs >>> 1;
  }
  return ~fcs & 0xffff;
}

/** A byte as two uppercase hex characters, as ASTM and Clinitek 50 print checksums. */
export function hex2(value: number): string {
  return (value & 0xff).toString(16).toUpperCase().padStart(2, '0');
}
