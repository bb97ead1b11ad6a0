import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../index.ts';
import { DriverManifestSchema, linkKinds, manifestTransports, platformSupportError, resolveOptions, transportFor } from './manifest.ts';
import { masimoRad8Driver } from '../devices/masimo-rad8/index.ts';

const rad8 = masimoRad8Driver.manifest;

describe('driver options', () => {
  it('fills in defaults and keeps values within the rules', () => {
    expect(resolveOptions(rad8, { stabilityWindowSeconds: 20, autoCapture: false })).toMatchObject({ stabilityWindowSeconds: 20, autoCapture: false, spo2Tolerance: 1 });
  });

  it('refuses a value of the wrong type, out of range, not finite, not among the choices, or unknown — naming the option', () => {
    expect(() => resolveOptions(rad8, { autoCapture: 'yes' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: 'option autoCapture must be a boolean', details: { option: 'autoCapture' } }));
    expect(() => resolveOptions(rad8, { stabilityWindowSeconds: 0 })).toThrow('option stabilityWindowSeconds must be at least 2');
    expect(() => resolveOptions(rad8, { stabilityWindowSeconds: 500 })).toThrow('option stabilityWindowSeconds must be at most 120');
    expect(() => resolveOptions(rad8, { spo2Tolerance: Number.NaN })).toThrow('option spo2Tolerance must be a finite number');
    expect(() => resolveOptions(rad8, { turbo: true })).toThrow('unknown option turbo for masimo-rad8');
    const clinitek = DRIVERS.find((d) => d.manifest.id === 'siemens-clinitek-status')?.manifest;
    expect(clinitek && (() => resolveOptions(clinitek, { dateOrder: 'ymd' }))).toThrow('option dateOrder must be one of dmy, mdy');
  });

  // Every registered manifest passes DriverManifestSchema in the conformance suite, defaults included.
  it('a manifest whose default breaks its own rules is refused', () => {
    const bad = { ...rad8, options: [{ key: 'window', description: 'x', type: 'number' as const, default: 1, min: 2 }] };
    expect(DriverManifestSchema.safeParse(bad).success).toBe(false);
    const wrongType = { ...rad8, options: [{ key: 'window', description: 'x', type: 'number' as const, default: 'ten' }] };
    expect(DriverManifestSchema.safeParse(wrongType).success).toBe(false);
  });
});

describe('platforms a driver does not support yet', () => {
  it('names an OS and why; an unknown OS name or an empty reason is refused; elsewhere no objection', () => {
    const linuxOnly = { ...rad8, unsupportedOn: [{ platform: 'win32' as const, why: 'Windows: needs a helper.' }] };
    expect(DriverManifestSchema.safeParse(linuxOnly).success).toBe(true);
    expect(DriverManifestSchema.safeParse({ ...rad8, unsupportedOn: [{ platform: 'beos', why: 'x' }] }).success).toBe(false);
    expect(DriverManifestSchema.safeParse({ ...rad8, unsupportedOn: [{ platform: 'win32', why: '' }] }).success).toBe(false);
    expect(platformSupportError(linuxOnly, 'win32')).toMatchObject({ code: 'TRANSPORT_OPEN_FAILED', message: `${rad8.name} cannot be read on this computer yet. Windows: needs a helper.` });
    expect(platformSupportError(linuxOnly, 'linux')).toBeUndefined();
    expect(platformSupportError(rad8, 'win32')).toBeUndefined();
  });
});

describe('a driver with more than one link (otherTransports)', () => {
  const SERIAL = { type: 'serial' as const, serial: { baudRate: 9600, dataBits: 8 as const, parity: 'none' as const, stopBits: 1 as const, flowControl: 'none' as const } };
  const HID = { type: 'hid' as const, reportSize: 63 };
  const both = { ...rad8, transport: HID, otherTransports: [SERIAL] };

  it('lists its link kinds, primary first, and gives the spec of each kind', () => {
    expect(DriverManifestSchema.safeParse(both).success).toBe(true);
    expect(linkKinds(both)).toEqual(['hid', 'serial']);
    expect(manifestTransports(both)).toEqual([HID, SERIAL]);
    expect(transportFor(both, 'serial')?.serial.baudRate).toBe(9600);
    expect(transportFor(both, 'hid')?.reportSize).toBe(63);
    expect(transportFor(both, 'tcp')).toBeUndefined();
    // A one-link manifest: just its transport.
    expect(linkKinds(rad8)).toEqual(['serial']);
  });

  it('refuses a kind declared twice', () => {
    const twice = DriverManifestSchema.safeParse({ ...both, otherTransports: [SERIAL, { ...SERIAL, serial: { ...SERIAL.serial, baudRate: 19200 } }] });
    expect(twice.success).toBe(false);
    expect(DriverManifestSchema.safeParse({ ...both, otherTransports: [HID] }).success).toBe(false);
  });
});
