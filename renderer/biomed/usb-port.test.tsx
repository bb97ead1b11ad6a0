// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../app.tsx';
import { biomedHub, port } from './biomed-fixtures.ts';

beforeEach(() => {
  window.location.hash = '#/devices';
});
afterEach(cleanup);

const LINUX_HINT = 'On Linux the POC Hub package’s udev rule (/lib/udev/rules.d/60-pochub.rules) lets the signed-in user open the meter; if access is refused, check that the rule is installed, then unplug and replug the meter.';
const WINDOWS_HINT = 'On Windows the meter needs the WinUSB driver bound to it once: run Zadig (zadig.akeo.ie) as an administrator, choose the meter, pick WinUSB, press Replace Driver, then replug it. macOS cannot read these meters yet.';

/** A plugged Accu-Chek Guide as the hub lists it (test/accu-chek-usb-hub.test.ts shows the hub giving this): a `usb` port by bus path. */
const GUIDE = port('1-4.2', {
  id: 'usb:1-4.2',
  transport: 'usb',
  usb: { vendorId: 0x173a, productId: 0x21d5 },
  match: { kind: 'one', driverIds: ['roche-accu-chek-usb'], message: 'Roche Accu-Chek (USB, IEEE 11073) recognised by its USB id (173a:21d5).' },
  assignment: { driverId: 'roche-accu-chek-usb', autoConnect: true, by: 'discovery' },
  state: 'error',
  health: {
    readings: 0,
    checksumErrors: 0,
    timeouts: 0,
    sessions: 0,
    lastError: 'no permission to open USB device Accu-Chek: add a udev rule such as SUBSYSTEM=="usb", ATTRS{idVendor}=="173a", ATTRS{idProduct}=="21d5" …',
    hints: [LINUX_HINT, WINDOWS_HINT],
  },
});

describe('Biomed console: a USB meter read over its bulk endpoints', () => {
  it('lists the Accu-Chek as a USB device with its USB id, its driver chosen by discovery, the error and the driver’s hints', async () => {
    render(<App client={biomedHub([GUIDE])} />);
    const card = await screen.findByTestId('port-usb:1-4.2');
    expect(card.dataset.state).toBe('error');
    expect(card.textContent).toContain('USB (bulk, through libusb)');
    expect(card.textContent).toContain('173a:21d5');
    expect(screen.getByTestId('port-match-usb:1-4.2').textContent).toContain('Matched: Roche Accu-Chek (USB, IEEE 11073) recognised by its USB id (173a:21d5).');
    expect(screen.getByTestId('port-driver-name-usb:1-4.2').textContent).toContain('Roche Accu-Chek (USB, IEEE 11073) chosen by discovery · connects on its own');
    expect(card.textContent).toContain('Last error: no permission to open USB device Accu-Chek: add a udev rule such as SUBSYSTEM=="usb"');
    const hints = screen.getByTestId('port-hints-usb:1-4.2');
    expect(hints.textContent).toContain('udev rule (/lib/udev/rules.d/60-pochub.rules)');
    expect(hints.textContent).toContain('WinUSB driver bound to it once: run Zadig');
  });

  it('offers only USB bulk drivers for it, even when asked for all, and no serial line settings', async () => {
    render(<App client={biomedHub([GUIDE])} />);
    fireEvent.click(await screen.findByTestId('port-open-usb:1-4.2'));
    await act(async () => {});
    const select = screen.getByTestId('port-driver-usb:1-4.2') as HTMLSelectElement;
    expect(select.value).toBe('roche-accu-chek-usb');
    expect(Array.from(select.options).map((o) => o.value)).toEqual(['', 'roche-accu-chek-usb']);
    fireEvent.click(screen.getByTestId('port-driver-all'));
    // Every driver for this kind of port: the serial, HID, network and web-service ones do not fit.
    expect(Array.from(select.options).map((o) => o.value)).toEqual(['', 'roche-accu-chek-usb']);
    expect(screen.queryByTestId('port-setting-baudRate')).toBeNull();
  });
});
