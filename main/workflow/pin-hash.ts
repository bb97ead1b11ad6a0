import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * PIN hashing with a slow, memory-hard KDF (node:crypto scrypt). A 4-digit PIN has only 10,000
 * values, so no hash makes a stolen store safe on its own; scrypt makes each guess cost ~0.1 s
 * and 32 MiB, which turns "instant" into "hours" and makes precomputed tables useless (random
 * salt). The sign-in lockout protects the live workstation.
 *
 * Stored form: `scrypt$N$r$p$salt$hash` (salt and hash in base64). The parameters travel with
 * the hash so they can grow later while old hashes still verify.
 */
export const SCRYPT_DEFAULTS = {
  /** CPU/memory cost 2^15: OWASP's minimum for scrypt (Password Storage Cheat Sheet). */
  N: 2 ** 15,
  r: 8,
  p: 1,
} as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** scrypt needs about 128·N·r bytes; Node's default limit (32 MiB) is exactly that, with no room. */
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;
/** Refuse absurd parameters from a damaged or hostile hash instead of burning the CPU on them. */
const MAX_LOG2_N = 20;

/** A PIN is 4 to 64 digits: what a badge keypad or a number row can type. */
export const PIN_PATTERN = /^\d{4,64}$/;

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** Hash a PIN for storage. */
export function hashPin(pin: string, params: ScryptParams = SCRYPT_DEFAULTS): string {
  const salt = randomBytes(SALT_BYTES);
  const key = scryptSync(pin.normalize('NFC'), salt, KEY_BYTES, { ...params, maxmem: MAX_MEMORY_BYTES });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Parse a stored hash; undefined when it is not one we can verify. */
function parseHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (N === undefined || r === undefined || p === undefined) return undefined;
  const log2N = Math.log2(N);
  if (!Number.isInteger(log2N) || log2N < 1 || log2N > MAX_LOG2_N) return undefined;
  if (!Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) return undefined;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const key = Buffer.from(parts[5] ?? '', 'base64');
  if (salt.length < SALT_BYTES || key.length < 16) return undefined;
  return { params: { N, r, p }, salt, key };
}

/**
 * Does `pin` match the stored hash? Compared in constant time. A hash we cannot parse never
 * matches (and is not an exception: the caller answers "wrong badge or PIN" either way).
 */
export function verifyPin(pin: string, stored: string): boolean {
  const parsed = parseHash(stored);
  if (parsed === undefined) return false;
  const { params, salt, key } = parsed;
  const candidate = scryptSync(pin.normalize('NFC'), salt, key.length, { ...params, maxmem: MAX_MEMORY_BYTES });
  return timingSafeEqual(candidate, key);
}
