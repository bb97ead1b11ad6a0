import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { testAdtAddress } from './adt-address.ts';

describe('"test connection" of an HL7 ADT source', () => {
  it('says the address can be bound, or that another program holds it', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      expect(await testAdtAddress(`127.0.0.1:${port}`)).toEqual({ ok: false, message: expect.stringContaining(`127.0.0.1:${port} is already in use`) });
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
    expect(await testAdtAddress(`127.0.0.1:${port}`)).toEqual({ ok: true, message: `The hub can listen on 127.0.0.1:${port} for ADT messages.` });
  });

  it('says when the host is not an address of this workstation', async () => {
    const r = await testAdtAddress('192.0.2.10:2576');
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/not an address of this workstation|cannot be bound/);
  });
});
