import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLinkPair, toHex } from '../../kit/index.ts';
import { Cp2110ByteLink, configureCp2110Uart, decodeDataReport, encodeDataReports, encodeUartConfig } from './index.ts';

const hex = (b: Uint8Array): string => toHex(b, 200);

describe('CP2110 reports', () => {
  it('encodes the UART configurations the notes give (9600 and 19200 8N1)', () => {
    expect(hex(encodeUartConfig({ baudRate: 9600, parity: 'none', flowControl: 'none', dataBits: 8, stopBits: 1 }))).toBe(hex(Uint8Array.of(0x50, 0, 0, 0x25, 0x80, 0, 0, 3, 0)));
    expect(hex(encodeUartConfig({ baudRate: 19200, parity: 'none', flowControl: 'none', dataBits: 8, stopBits: 1 }))).toBe(hex(Uint8Array.of(0x50, 0, 0, 0x4b, 0, 0, 0, 3, 0)));
    expect(Array.from(encodeUartConfig({ baudRate: 115200, parity: 'even', flowControl: 'hardware', dataBits: 7, stopBits: 2 }))).toEqual([0x50, 0, 1, 0xc2, 0, 2, 1, 2, 1]);
    expect(() => encodeUartConfig({ baudRate: 100, parity: 'none', flowControl: 'none', dataBits: 8, stopBits: 1 })).toThrow(RangeError);
  });

  it('numbers each data report by its byte count: the TaiDoc connect packet is 08 51 22 00 00 00 00 A3 16', () => {
    const reports = encodeDataReports(Uint8Array.of(0x51, 0x22, 0, 0, 0, 0, 0xa3, 0x16));
    expect(reports.map((r) => Array.from(r))).toEqual([[0x08, 0x51, 0x22, 0, 0, 0, 0, 0xa3, 0x16]]);
    expect(encodeDataReports(new Uint8Array(0))).toEqual([]);
    const long = encodeDataReports(new Uint8Array(130).fill(7));
    expect(long.map((r) => r[0])).toEqual([63, 63, 4]);
  });

  it('decodes padded input reports and refuses non-data or truncated ones', () => {
    expect(decodeDataReport(Uint8Array.of(2, 0xaa, 0xbb, 0, 0, 0))).toEqual({ ok: true, data: Uint8Array.of(0xaa, 0xbb) });
    expect(decodeDataReport(Uint8Array.of(0, 1, 2)).ok).toBe(false);
    expect(decodeDataReport(Uint8Array.of(0x41, 1)).ok).toBe(false);
    expect(decodeDataReport(Uint8Array.of(5, 1, 2)).ok).toBe(false);
    expect(decodeDataReport(new Uint8Array(0)).ok).toBe(false);
  });

  it('round-trips any byte string through data reports (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat({ max: 20 }), (bytes, pad) => {
        const back = encodeDataReports(bytes).flatMap((r): (number | string)[] => {
          const padded = new Uint8Array(r.length + pad);
          padded.set(r);
          const d = decodeDataReport(padded);
          return d.ok ? Array.from(d.data) : ['bad'];
        });
        expect(back).toEqual(Array.from(bytes));
      }),
    );
  });
});

describe('Cp2110ByteLink', () => {
  it('carries bytes both ways over a reports link, drops non-data reports, and ends with the link', async () => {
    const pair = createLinkPair({ mode: 'reports', reportSize: 63 });
    const bad: string[] = [];
    const host = new Cp2110ByteLink(pair.host, (reason) => bad.push(reason));
    const device = new Cp2110ByteLink(pair.device);
    const atDevice: number[] = [];
    const atHost: number[] = [];
    const seen: number[][] = [];
    pair.device.onData((r) => seen.push(Array.from(r)));
    device.onData((b) => atDevice.push(...b));
    host.onData((b) => atHost.push(...b));
    await host.write(new Uint8Array(70).map((_, i) => i));
    await device.write(Uint8Array.of(9, 8, 7));
    await pair.device.write(Uint8Array.of(0x00, 1, 2));
    await expect.poll(() => atDevice.length).toBe(70);
    await expect.poll(() => bad.length).toBe(1);
    expect(seen.map((r) => r[0])).toEqual([63, 7]);
    expect(atHost).toEqual([9, 8, 7]);
    let ended = false;
    host.onClose(() => (ended = true));
    await pair.device.close();
    await expect.poll(() => ended).toBe(true);
  });

  it('refuses a bytes link, and configures the UART by feature reports where the link has them', async () => {
    expect(() => new Cp2110ByteLink(createLinkPair().host)).toThrow(/reports/);
    const sent: number[][] = [];
    const pair = createLinkPair({ mode: 'reports', reportSize: 63 });
    await configureCp2110Uart(pair.host, { baudRate: 19200, parity: 'none', flowControl: 'none', dataBits: 8, stopBits: 1 }); // no feature reports: nothing to do
    const withFeatures = Object.assign(pair.host, { sendFeatureReport: async (d: Uint8Array) => void sent.push(Array.from(d)) });
    await configureCp2110Uart(withFeatures, { baudRate: 19200, parity: 'none', flowControl: 'none', dataBits: 8, stopBits: 1 });
    expect(sent).toEqual([[0x50, 0, 0, 0x4b, 0, 0, 0, 3, 0], [0x41, 0x01]]);
  });
});
