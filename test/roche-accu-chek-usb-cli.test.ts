import { describe, expect, it } from 'vitest';
import { main } from '../main/cli.ts';

/** The CLI in-process, as test/fixtures.test.ts runs it. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), errIsTty: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('pochub and a USB bulk (IEEE 11073) driver', () => {
  it('drivers lists the Accu-Chek with its usb transport and every USB id', async () => {
    const r = await cli(['drivers', '--json']);
    expect(r.code).toBe(0);
    const d = (JSON.parse(r.out) as { id: string; transport: { type: string; interfaceClass?: number }; usb: { id: string }[] }[]).find((x) => x.id === 'roche-accu-chek-usb');
    expect(d?.transport).toEqual({ type: 'usb', interfaceClass: 0x0f });
    expect(d?.usb.map((u) => u.id)).toEqual(['173a:21cf', '173a:21d5', '173a:21d6', '173a:21d7', '173a:21d8']);
  });

  it('read and simulate refuse it with one plain line instead of opening a serial port', async () => {
    const read = await cli(['read', '--driver', 'roche-accu-chek-usb', '--port', '/dev/null']);
    expect(read.code).not.toBe(0);
    expect(read.err).toContain('USB bulk device');
    const simulate = await cli(['simulate', '--driver', 'roche-accu-chek-usb', '--port', '/dev/null']);
    expect(simulate.code).not.toBe(0);
    expect(simulate.err).toContain('USB bulk device');
  });
});
