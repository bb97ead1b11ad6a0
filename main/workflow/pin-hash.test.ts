import { describe, expect, it } from 'vitest';
import { SCRYPT_DEFAULTS, hashPin, verifyPin } from './pin-hash.ts';

describe('PIN hash', () => {
  it('is scrypt with its parameters and a random salt, never the PIN itself', () => {
    const a = hashPin('482916');
    const b = hashPin('482916');
    const parts = a.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', String(SCRYPT_DEFAULTS.N), '8', '1']);
    expect(SCRYPT_DEFAULTS.N).toBe(2 ** 15);
    expect(Buffer.from(parts[4] ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(parts[5] ?? '', 'base64')).toHaveLength(32);
    expect(a).not.toContain('482916');
    expect(a).not.toBe(b); // salted: the same PIN never gives the same hash
  });

  it('verifies the right PIN and refuses a wrong one', () => {
    const stored = hashPin('482916');
    expect(verifyPin('482916', stored)).toBe(true);
    expect(verifyPin('482917', stored)).toBe(false);
    expect(verifyPin('48291', stored)).toBe(false);
    expect(verifyPin('', stored)).toBe(false);
  });

  it('keeps verifying hashes made with other parameters (so the cost can grow)', () => {
    const cheaper = hashPin('1234', { N: 2 ** 10, r: 8, p: 1 });
    expect(cheaper.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(verifyPin('1234', cheaper)).toBe(true);
    expect(verifyPin('4321', cheaper)).toBe(false);
  });

  it.each([
    ['not a hash', 'plain1234'],
    ['another algorithm', 'bcrypt$10$abc$def$ghi$jkl'],
    ['a cost that is not a power of two', 'scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['an absurd cost', `scrypt$${2 ** 30}$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`],
    ['a missing salt', 'scrypt$1024$8$1$$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
  ])('never matches a stored value that is %s', (_what, stored) => {
    expect(verifyPin('1234', stored)).toBe(false);
  });
});
