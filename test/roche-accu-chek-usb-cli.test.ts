import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main/cli.ts';
import { openStore } from '../main/store/index.ts';
import { storeFile } from '../main/paths.ts';

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

  it('read without --usb and simulate refuse it with one plain line instead of opening a serial port', async () => {
    const read = await cli(['read', '--driver', 'roche-accu-chek-usb', '--port', '/dev/null']);
    expect(read.code).not.toBe(0);
    expect(read.err).toContain('USB bulk device');
    expect(read.err).toContain('use --usb <vid:pid> or --usb <bus path>');
    const simulate = await cli(['simulate', '--driver', 'roche-accu-chek-usb', '--port', '/dev/null']);
    expect(simulate.code).not.toBe(0);
    expect(simulate.err).toContain('USB bulk device');
  });

  it('read --usb is checked before anything is opened: the form of the argument, and that the driver is a USB bulk one', async () => {
    const bad = await cli(['read', '--driver', 'roche-accu-chek-usb', '--usb', 'usb1']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('--usb takes vid:pid in hex (e.g. 173a:21d5) or a bus path (e.g. 1-4.2), not "usb1"');
    const two = await cli(['read', '--driver', 'roche-accu-chek-usb', '--usb', '1-4.2', '--port', '/dev/null']);
    expect(two.code).not.toBe(0);
    expect(two.err).toContain('give exactly one of --port, --hid, --usb, --tcp, --url, --listen or --folder');
    const serial = await cli(['read', '--driver', 'lifescan-onetouch-ultra2', '--usb', '173a:21d5']);
    expect(serial.code).not.toBe(0);
    expect(serial.err).toContain('is not read over USB bulk endpoints');
  });

  it('read --usb with no such meter plugged in says so in one line and stores nothing', async () => {
    const data = mkdtempSync(join(tmpdir(), 'pochub-usb-cli-'));
    try {
      const r = await cli(['read', '--driver', 'roche-accu-chek-usb', '--usb', '9-9.9.9', '--data', data]);
      expect(r.code).not.toBe(0);
      // Not found, or libusb missing on this machine: either way a plain sentence, never a stack.
      expect(r.err).toMatch(/USB device .*was not found|could not list USB devices|libusb/);
      expect(r.err).not.toMatch(/\n\s+at /);
      const store = openStore(storeFile(data));
      try {
        expect(store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sessions').get()?.n).toBe(0);
      } finally {
        store.close();
      }
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
