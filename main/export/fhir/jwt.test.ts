import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { signClientAssertion } from './jwt.ts';

describe('SMART client assertion', () => {
  it.each([
    ['RS384', generateKeyPairSync('rsa', { modulusLength: 2048 })],
    ['ES384', generateKeyPairSync('ec', { namedCurve: 'P-384' })],
  ] as const)('%s verifies with jose and carries the SMART claims', async (alg, keys) => {
    const now = Date.UTC(2026, 10, 27, 9, 0, 0);
    const jwt = signClientAssertion({ clientId: 'hub', tokenUrl: 'https://ehr/token', keyId: 'k1', alg, privateKeyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), now });
    expect(decodeProtectedHeader(jwt)).toEqual({ alg, typ: 'JWT', kid: 'k1' });
    const { payload } = await jwtVerify(jwt, keys.publicKey, { issuer: 'hub', subject: 'hub', audience: 'https://ehr/token', currentDate: new Date(now) });
    expect(payload.exp).toBe(now / 1000 + 240);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a key that does not fit the algorithm', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => signClientAssertion({ clientId: 'h', tokenUrl: 'https://t', keyId: 'k', alg: 'RS384', privateKeyPem: ec, now: 0 })).toThrow(/RSA key/);
    expect(() => signClientAssertion({ clientId: 'h', tokenUrl: 'https://t', keyId: 'k', alg: 'ES384', privateKeyPem: ec, now: 0 })).toThrow(/P-384/);
  });
});
