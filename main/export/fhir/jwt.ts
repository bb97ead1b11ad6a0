import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';

/**
 * The signed client assertion of SMART Backend Services (docs/export.md §5): a JWT whose `iss` and
 * `sub` are the client id, `aud` the token endpoint, with a unique `jti` and an `exp` at most
 * five minutes ahead. Signed with node:crypto: RS384 = RSASSA-PKCS1-v1_5 with SHA-384, ES384 =
 * ECDSA P-384 with SHA-384 in the raw r||s form JWS requires (RFC 7518 §3.4).
 */

type AssertionAlg = 'RS384' | 'ES384';

interface AssertionInput {
  readonly clientId: string;
  readonly tokenUrl: string;
  readonly keyId: string;
  readonly alg: AssertionAlg;
  /** PEM private key, read from its file just before signing and not kept. */
  readonly privateKeyPem: string;
  /** Epoch ms. */
  readonly now: number;
}

/** Four minutes: within the 5-minute ceiling even if our clock runs a minute behind the server's. */
const LIFETIME_S = 240;

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

function checkKey(key: KeyObject, alg: AssertionAlg): void {
  const type = key.asymmetricKeyType;
  if (alg === 'RS384' && type !== 'rsa') throw new Error(`the private key is ${type ?? 'unknown'}, but RS384 needs an RSA key`);
  if (alg === 'ES384' && (type !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'secp384r1')) {
    throw new Error('ES384 needs an EC key on curve P-384');
  }
}

export function signClientAssertion(input: AssertionInput): string {
  const key = createPrivateKey(input.privateKeyPem);
  checkKey(key, input.alg);
  const iat = Math.floor(input.now / 1000);
  const header = { alg: input.alg, typ: 'JWT', kid: input.keyId };
  const claims = { iss: input.clientId, sub: input.clientId, aud: input.tokenUrl, iat, exp: iat + LIFETIME_S, jti: randomUUID() };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign('sha384', Buffer.from(signingInput), input.alg === 'ES384' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${signingInput}.${b64url(signature)}`;
}
