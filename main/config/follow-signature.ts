import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { HubError } from '../../shared/errors.ts';

/**
 * Detached Ed25519 signatures over a configuration file's exact bytes (docs/architecture.md §6,
 * fleet configuration). The `.sig` file is the 64-byte signature in base64 on one line (what
 * `pochub config sign` writes, and `openssl pkeyutl -sign -rawin … | base64 -w0` gives); the raw
 * 64 bytes are accepted too, so IT may publish openssl's output as it comes.
 */

const SIGNATURE_BYTES = 64;

function keyError(what: string, e: unknown): HubError {
  return new HubError('INPUT_INVALID', `${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

/** The pinned public key (PEM, SPKI). @throws HubError `INPUT_INVALID` when it is not an Ed25519 public key. */
export function ed25519PublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (e) {
    throw keyError('the public key is not a PEM public key', e);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new HubError('INPUT_INVALID', `the public key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not Ed25519`);
  return key;
}

/** The SHA-256 of the key's SPKI DER bytes in hex: what an admin compares with IT's published fingerprint. */
export function keyFingerprint(pem: string): string {
  return createHash('sha256').update(ed25519PublicKey(pem).export({ type: 'spki', format: 'der' })).digest('hex');
}

/** Sign a file's bytes with an Ed25519 private key (PEM, PKCS#8); the `.sig` file's text (base64 and a newline). */
export function signConfigBytes(privateKeyPem: string, bytes: Buffer): string {
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch (e) {
    throw keyError('the private key is not a PEM private key', e);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new HubError('INPUT_INVALID', `the private key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not Ed25519`);
  return `${sign(null, bytes, key).toString('base64')}\n`;
}

/** The 64 signature bytes from a `.sig` file, or why it is not one. */
export function signatureBytes(sig: Buffer): Buffer | string {
  if (sig.length === SIGNATURE_BYTES) return sig;
  const text = sig.toString('latin1').trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return 'the signature file is neither base64 nor 64 raw bytes';
  const decoded = Buffer.from(text, 'base64');
  if (decoded.length !== SIGNATURE_BYTES) return `the signature is ${decoded.length} bytes, an Ed25519 signature is ${SIGNATURE_BYTES}`;
  return decoded;
}

/** Whether `sig` (a `.sig` file's content) is a valid signature of `bytes` by the key; undefined when valid, else the reason. */
export function signatureProblem(publicKeyPem: string, bytes: Buffer, sig: Buffer): string | undefined {
  const raw = signatureBytes(sig);
  if (typeof raw === 'string') return raw;
  return verify(null, bytes, ed25519PublicKey(publicKeyPem), raw) ? undefined : 'the signature does not match the file and the pinned key (changed on the way, or signed with another key)';
}
