// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodInput } from '../../shared/api/contract.ts';
import { App } from '../app.tsx';
import { createFakeHub } from '../testing/fake-hub.ts';
import { biomedHub, port } from './biomed-fixtures.ts';

beforeEach(() => {
  window.location.hash = '#/devices';
});
afterEach(cleanup);

const USB_PL2303 = { vendorId: 0x067b, productId: 0x2303, manufacturer: 'Prolific', product: 'USB-Serial Controller' };

const ONE = port('/dev/ttyUSB0', {
  usb: { vendorId: 0x0403, productId: 0x6001, manufacturer: 'FTDI', product: 'CLINITEK cable', serialNumber: 'A1B2' },
  match: { kind: 'one', driverIds: ['siemens-clinitek-status'], message: 'Siemens CLINITEK Status+ cable.' },
  assignment: { driverId: 'siemens-clinitek-status', settings: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' }, autoConnect: true, by: 'discovery' },
  state: 'connected',
  deviceKey: 'siemens-clinitek-status:SN42',
  health: { lastSeen: '2026-01-14T08:30:05Z', readings: 12, checksumErrors: 2, timeouts: 1, sessions: 3, hints: ['Some frames had bad checksums: a long or unshielded cable?'] },
});
const SEVERAL = port('/dev/ttyUSB1', {
  usb: USB_PL2303,
  match: { kind: 'several', driverIds: ['lifescan-onetouch-ultra2', 'lifescan-onetouch-ultraeasy'], message: 'Prolific PL2303 cable: OneTouch Ultra 2 or UltraEasy — choose one.' },
});
const UNKNOWN = port('/dev/ttyUSB2', {
  usb: { vendorId: 0x1a86, productId: 0x7523 },
  match: { kind: 'unknown-adapter', driverIds: [], message: 'A CH340 USB-serial adapter: any serial device could be behind it.' },
  health: { readings: 0, checksumErrors: 0, timeouts: 4, sessions: 1, hints: ['No bytes at all: a power-only USB cable?'] },
});
const UNSUPPORTED = port('/dev/hidraw3', {
  id: 'hid:/dev/hidraw3',
  transport: 'hid',
  usb: { vendorId: 0x1234, productId: 0x0001 },
  match: { kind: 'unsupported', driverIds: [], message: 'Acme GlucoTalk: no driver for this device yet.' },
});
const NONE = port('/dev/pts/7', { origin: 'manual', match: { kind: 'none', driverIds: [], message: 'Added by hand: no USB ids.' } });

const assigned = (hub: ReturnType<typeof biomedHub>): MethodInput<'assignPort'>[] => hub.callsOf('assignPort') as MethodInput<'assignPort'>[];
const optionTexts = (testId: string): string[] => Array.from((screen.getByTestId(testId) as HTMLSelectElement).options).map((o) => o.value);

describe('Biomed console: ports', () => {
  it('lists every port with its match, driver, state, device and health, and plain-language hints', async () => {
    render(<App client={biomedHub([ONE, SEVERAL, UNKNOWN, UNSUPPORTED, NONE])} />);
    const one = await screen.findByTestId('port-serial:/dev/ttyUSB0');
    expect(one.dataset.state).toBe('connected');
    expect(one.textContent).toContain('0403:6001 FTDI CLINITEK cable (serial A1B2)');
    expect(one.textContent).toContain('CLINITEK Status+ chosen by discovery · 9600 8-N-1 · connects on its own');
    expect(one.textContent).toContain('siemens-clinitek-status:SN42');
    expect(within(screen.getByTestId('port-health-serial:/dev/ttyUSB0')).getByText('Checksum errors').nextSibling?.textContent).toBe('2');
    expect(screen.getByTestId('port-hints-serial:/dev/ttyUSB0').textContent).toContain('bad checksums');

    const match = (id: string): HTMLElement => screen.getByTestId(`port-match-${id}`);
    expect(match('serial:/dev/ttyUSB0').dataset.kind).toBe('one');
    expect(match('serial:/dev/ttyUSB0').textContent).toContain('Matched: Siemens CLINITEK Status+ cable.');
    expect(match('serial:/dev/ttyUSB1').textContent).toContain('Several fit — choose one: Prolific PL2303 cable');
    expect(match('serial:/dev/ttyUSB2').textContent).toContain('Unknown adapter: A CH340');
    expect(match('hid:/dev/hidraw3').textContent).toContain('Unsupported device: Acme GlucoTalk');
    expect(match('serial:/dev/pts/7').textContent).toContain('No USB ids: Added by hand');
    expect(screen.getByTestId('port-hints-serial:/dev/ttyUSB2').textContent).toBe('No bytes at all: a power-only USB cable?');
    expect(screen.queryByTestId('port-hints-serial:/dev/pts/7')).toBeNull();
    expect(screen.getByTestId('port-serial:/dev/ttyUSB1').textContent).toContain('None assigned');
    expect(screen.getByTestId('port-serial:/dev/pts/7').textContent).toContain('(added by hand)');
  });

  it('marks a role and options that come from the central configuration', async () => {
    const CENTRAL = port('/dev/ttyUSB5', {
      assignment: { driverId: 'siemens-clinitek-status', autoConnect: true, by: 'person', role: 'bedside', roleChosen: false, roleFromCentral: true, centralOptions: { dateOrder: 'dmy' } },
    });
    render(<App client={biomedHub([CENTRAL, ONE])} />);
    const card = await screen.findByTestId('port-serial:/dev/ttyUSB5');
    expect(card.textContent).toContain('from central configuration: dateOrder dmy');
    expect(screen.getByTestId('port-role-name-serial:/dev/ttyUSB5').textContent).toContain('from central configuration');
    expect(screen.getByTestId('port-serial:/dev/ttyUSB0').textContent).not.toContain('central configuration');
  });

  it('follows the ports event', async () => {
    const hub = biomedHub([NONE]);
    render(<App client={hub} />);
    expect((await screen.findByTestId('port-serial:/dev/pts/7')).dataset.state).toBe('idle');
    act(() => hub.emit('ports', [{ ...NONE, state: 'error', health: { ...NONE.health, lastError: 'EACCES', hints: ['Permission denied: add the user to dialout.'] } }, ONE]));
    expect(screen.getByTestId('port-serial:/dev/pts/7').dataset.state).toBe('error');
    expect(screen.getByTestId('port-serial:/dev/pts/7').textContent).toContain('Last error: EACCES');
    expect(screen.getByTestId('port-hints-serial:/dev/pts/7').textContent).toContain('dialout');
    expect(screen.getByTestId('port-serial:/dev/ttyUSB0')).toBeTruthy();
  });

  it('offers only the matching drivers when several fit, prefills the chosen driver’s defaults and sends the settings', async () => {
    const hub = biomedHub([SEVERAL]);
    render(<App client={hub} />);
    fireEvent.click(await screen.findByTestId('port-open-serial:/dev/ttyUSB1'));
    await act(async () => {});
    expect(document.activeElement?.id).toBe('port-detail-title');
    // Several fit: nothing is chosen for the person.
    expect(screen.getByTestId('port-driver-serial:/dev/ttyUSB1')).toHaveProperty('value', '');
    expect(optionTexts('port-driver-serial:/dev/ttyUSB1')).toEqual(['', 'lifescan-onetouch-ultra2', 'lifescan-onetouch-ultraeasy']);
    fireEvent.change(screen.getByTestId('port-driver-serial:/dev/ttyUSB1'), { target: { value: 'lifescan-onetouch-ultraeasy' } });
    expect(screen.getByTestId('port-setting-baudRate')).toHaveProperty('value', '38400');
    expect(screen.getByTestId('port-setting-dataBits')).toHaveProperty('value', '8');
    expect(screen.getByTestId('port-setting-parity')).toHaveProperty('value', 'none');
    expect(screen.getByTestId('port-setting-stopBits')).toHaveProperty('value', '1');
    expect(screen.getByTestId('port-setting-flowControl')).toHaveProperty('value', 'none');
    fireEvent.change(screen.getByTestId('port-setting-parity'), { target: { value: 'even' } });
    fireEvent.change(screen.getByTestId('port-setting-dataBits'), { target: { value: '7' } });
    expect(screen.getByText('Changed (driver: None)')).toBeTruthy();
    fireEvent.click(screen.getByTestId('port-autoconnect'));
    fireEvent.click(screen.getByTestId('port-assign-serial:/dev/ttyUSB1'));
    await act(async () => {});
    expect(assigned(hub)).toEqual([
      {
        portId: 'serial:/dev/ttyUSB1',
        driverId: 'lifescan-onetouch-ultraeasy',
        settings: { baudRate: 38400, dataBits: 7, parity: 'even', stopBits: 1, flowControl: 'none' },
        options: {},
        autoConnect: false,
      },
    ]);
    expect(screen.getByTestId('status-line').textContent).toBe('Saved: OneTouch UltraEasy on /dev/ttyUSB1.');
    expect(screen.getByTestId('port-serial:/dev/ttyUSB1').textContent).toContain('OneTouch UltraEasy chosen by a person · 38400 7-E-1 · connect by hand');
  });

  it('shows the driver’s own options with their defaults, sends only what was changed, and starts from what is saved', async () => {
    const RAD8_PORT = port('/dev/pts/9', { origin: 'manual', assignment: { driverId: 'masimo-rad8', settings: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' }, options: { autoCapture: false }, autoConnect: true, by: 'person' } });
    const hub = biomedHub([RAD8_PORT, SEVERAL]);
    render(<App client={hub} />);
    fireEvent.click(await screen.findByTestId('port-open-serial:/dev/pts/9'));
    const options = screen.getByTestId('driver-options');
    // What is saved: auto-capture off (changed); the window at the driver's default.
    expect(screen.getByTestId('driver-option-autoCapture')).toHaveProperty('checked', false);
    expect(screen.getByTestId('driver-option-stabilityWindowSeconds')).toHaveProperty('value', '10');
    expect(screen.getByTestId('driver-option-stabilityWindowSeconds')).toHaveProperty('min', '2');
    expect(within(options).getByText(/Capture automatically when stable\. Changed \(driver: true\)/)).toBeTruthy();
    // A value outside the range is said at once, by the same rule the hub applies on save.
    fireEvent.change(screen.getByTestId('driver-option-stabilityWindowSeconds'), { target: { value: '1' } });
    expect(screen.getByTestId('driver-option-stabilityWindowSeconds-problem').textContent).toBe('option stabilityWindowSeconds must be at least 2');
    fireEvent.change(screen.getByTestId('driver-option-stabilityWindowSeconds'), { target: { value: '15' } });
    expect(screen.queryByTestId('driver-option-stabilityWindowSeconds-problem')).toBeNull();
    fireEvent.click(screen.getByTestId('port-assign-serial:/dev/pts/9'));
    await act(async () => {});
    expect(assigned(hub).at(-1)?.options).toEqual({ autoCapture: false, stabilityWindowSeconds: 15 });
    // Back to the default: the option is no longer sent.
    fireEvent.click(screen.getByTestId('driver-option-autoCapture'));
    fireEvent.change(screen.getByTestId('driver-option-stabilityWindowSeconds'), { target: { value: '10' } });
    fireEvent.click(screen.getByTestId('port-assign-serial:/dev/pts/9'));
    await act(async () => {});
    expect(assigned(hub).at(-1)?.options).toEqual({});

    // A string option with choices is a list; another driver starts from its own defaults.
    fireEvent.click(screen.getByTestId('port-open-serial:/dev/ttyUSB1'));
    fireEvent.click(screen.getByTestId('port-driver-all'));
    fireEvent.change(screen.getByTestId('port-driver-serial:/dev/ttyUSB1'), { target: { value: 'siemens-clinitek-status' } });
    expect(optionTexts('driver-option-dateOrder')).toEqual(['dmy', 'mdy']);
    fireEvent.change(screen.getByTestId('driver-option-dateOrder'), { target: { value: 'mdy' } });
    fireEvent.click(screen.getByTestId('port-assign-serial:/dev/ttyUSB1'));
    await act(async () => {});
    expect(assigned(hub).at(-1)).toMatchObject({ driverId: 'siemens-clinitek-status', options: { dateOrder: 'mdy' } });
  });

  it('starts a driver option from the central configuration’s value, and keeps only what differs from it', async () => {
    const RAD8_PORT = port('/dev/pts/9', { origin: 'manual', assignment: { driverId: 'masimo-rad8', settings: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' }, autoConnect: true, by: 'person', centralOptions: { stabilityWindowSeconds: 20 } } });
    const hub = biomedHub([RAD8_PORT]);
    render(<App client={hub} />);
    expect((await screen.findByTestId('port-serial:/dev/pts/9')).textContent).toContain('from central configuration: stabilityWindowSeconds 20');
    fireEvent.click(screen.getByTestId('port-open-serial:/dev/pts/9'));
    const options = screen.getByTestId('driver-options');
    expect(screen.getByTestId('driver-option-stabilityWindowSeconds')).toHaveProperty('value', '20');
    expect(within(options).getAllByText(/From central configuration/).length).toBe(1);
    fireEvent.change(screen.getByTestId('driver-option-stabilityWindowSeconds'), { target: { value: '30' } });
    expect(within(options).getByText(/Changed \(central configuration: 20\)/)).toBeTruthy();
    // Back to the central value: not kept on the port, so later central versions apply.
    fireEvent.change(screen.getByTestId('driver-option-stabilityWindowSeconds'), { target: { value: '20' } });
    fireEvent.click(screen.getByTestId('port-assign-serial:/dev/pts/9'));
    await act(async () => {});
    expect(assigned(hub).at(-1)?.options).toEqual({});
    fireEvent.change(screen.getByTestId('driver-option-stabilityWindowSeconds'), { target: { value: '30' } });
    fireEvent.click(screen.getByTestId('port-assign-serial:/dev/pts/9'));
    await act(async () => {});
    expect(assigned(hub).at(-1)?.options).toEqual({ stabilityWindowSeconds: 30 });
  });

  it('offers every serial driver for an unknown adapter, and all on request when the match narrows', async () => {
    render(<App client={biomedHub([UNKNOWN, SEVERAL])} />);
    fireEvent.click(await screen.findByTestId('port-open-serial:/dev/ttyUSB2'));
    expect(optionTexts('port-driver-serial:/dev/ttyUSB2')).toEqual(['', 'siemens-clinitek-status', 'masimo-rad8', 'lifescan-onetouch-ultra2', 'lifescan-onetouch-ultraeasy']);
    expect(screen.queryByTestId('port-driver-all')).toBeNull();
    fireEvent.click(screen.getByTestId('port-open-serial:/dev/ttyUSB1'));
    expect(optionTexts('port-driver-serial:/dev/ttyUSB1')).toHaveLength(3);
    fireEvent.click(screen.getByTestId('port-driver-all'));
    expect(optionTexts('port-driver-serial:/dev/ttyUSB1')).toHaveLength(5);
  });

  it('starts from the settings in force, refuses to save without a driver, and connects and disconnects', async () => {
    const hub = biomedHub([ONE, NONE]);
    render(<App client={hub} />);
    fireEvent.click(await screen.findByTestId('port-open-serial:/dev/ttyUSB0'));
    expect(screen.getByTestId('port-driver-serial:/dev/ttyUSB0')).toHaveProperty('value', 'siemens-clinitek-status');
    expect(screen.getByTestId('port-connect-serial:/dev/ttyUSB0')).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByTestId('port-disconnect-serial:/dev/ttyUSB0'));
    await act(async () => {});
    expect(hub.callsOf('disconnectPort')).toEqual([{ portId: 'serial:/dev/ttyUSB0' }]);
    expect(screen.getByTestId('port-serial:/dev/ttyUSB0').dataset.state).toBe('idle');
    fireEvent.click(screen.getByTestId('port-connect-serial:/dev/ttyUSB0'));
    await act(async () => {});
    expect(hub.callsOf('connectPort')).toEqual([{ portId: 'serial:/dev/ttyUSB0' }]);
    expect(screen.getByTestId('port-serial:/dev/ttyUSB0').dataset.state).toBe('connected');

    fireEvent.click(screen.getByTestId('port-open-serial:/dev/pts/7'));
    expect(screen.getByTestId('port-test-serial:/dev/pts/7')).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByTestId('port-assign-serial:/dev/pts/7'));
    expect(screen.getByTestId('port-setup-error').textContent).toBe('Choose the driver for the device on this port.');
    expect(assigned(hub)).toEqual([]);
  });

  it('forgets a port: one added by hand leaves the list and its panel closes; a discovered one stays without its driver', async () => {
    const hub = biomedHub([ONE, NONE]);
    render(<App client={hub} />);
    fireEvent.click(await screen.findByTestId('port-open-serial:/dev/pts/7'));
    fireEvent.click(screen.getByTestId('port-forget-serial:/dev/pts/7'));
    await act(async () => {});
    expect(hub.callsOf('removePort')).toEqual([{ portId: 'serial:/dev/pts/7' }]);
    expect(screen.queryByTestId('port-serial:/dev/pts/7')).toBeNull();
    expect(screen.queryByTestId('port-detail')).toBeNull();
    expect(screen.getByTestId('status-line').textContent).toBe('Forgot /dev/pts/7.');

    fireEvent.click(screen.getByTestId('port-open-serial:/dev/ttyUSB0'));
    fireEvent.click(screen.getByTestId('port-forget-serial:/dev/ttyUSB0'));
    await act(async () => {});
    expect(screen.getByTestId('port-serial:/dev/ttyUSB0')).toBeTruthy();
    expect(screen.getByTestId('status-line').textContent).toMatch(/still plugged in, so it stays listed/);
  });

  it('tests the connection and shows the answer with the device’s identity', async () => {
    const hub = biomedHub([ONE]);
    let ok = true;
    hub.handle('testPort', () =>
      ok
        ? { ok: true, value: { ok: true, message: 'Identified in 0.4 s', identity: { manufacturer: 'Siemens', model: 'CLINITEK Status+', serial: 'SN42' } } }
        : { ok: true, value: { ok: false, message: 'No answer within 5 s: is the device on, and the cable the right one?' } },
    );
    render(<App client={hub} />);
    fireEvent.click(await screen.findByTestId('port-open-serial:/dev/ttyUSB0'));
    fireEvent.click(screen.getByTestId('port-test-serial:/dev/ttyUSB0'));
    await act(async () => {});
    const result = screen.getByTestId('port-test-result');
    expect(hub.callsOf('testPort')).toEqual([{ portId: 'serial:/dev/ttyUSB0' }]);
    expect(result.dataset.ok).toBe('true');
    expect(result.textContent).toBe('✓ Device answered: Identified in 0.4 s Siemens CLINITEK Status+, serial SN42.');
    ok = false;
    fireEvent.click(screen.getByTestId('port-test-serial:/dev/ttyUSB0'));
    await act(async () => {});
    expect(result.dataset.ok).toBe('false');
    expect(result.textContent).toContain('⚠ No good answer: No answer within 5 s');
  });

  it('says how listing goes, shows a listing problem with what to do, and scans on request', async () => {
    const hub = biomedHub([]);
    const udev = 'USB ids cannot be read: udevadm is missing. Install udev (apt-get install udev), then scan again.';
    hub.handle('getDiscovery', () => ({ ok: true, value: { polling: true, pollMs: 2000, lastScanAt: '2026-01-14T08:30:00Z', problems: [udev] } }));
    hub.handle('scanPorts', () => ({ ok: true, value: { polling: true, pollMs: 2000, lastScanAt: '2026-01-14T08:31:00Z', problems: [] } }));
    render(<App client={hub} />);
    expect((await screen.findByTestId('discovery-problem')).textContent).toBe(udev);
    expect(screen.getByTestId('discovery-status').textContent).toContain('Ports are listed every 2 s.');
    fireEvent.click(screen.getByTestId('scan-ports'));
    await act(async () => {});
    expect(hub.callsOf('scanPorts')).toEqual([{}]);
    expect(screen.queryByTestId('discovery-problem')).toBeNull();
    expect(screen.getByTestId('status-line').textContent).toBe('Listed the ports.');
  });

  it('adds a pty by path and opens it', async () => {
    const hub = biomedHub([]);
    hub.handle('addPort', ({ transport, path }) => ({ ok: true, value: port(path, { id: `${transport}:${path}`, transport, origin: 'manual' }) }));
    render(<App client={hub} />);
    expect((await screen.findByText('No ports or devices seen.', { exact: false })).textContent).toContain('add a port by path');
    fireEvent.click(screen.getByTestId('port-add-submit'));
    expect(screen.getByTestId('port-add-error').textContent).toBe('Type the port’s path.');
    fireEvent.change(screen.getByTestId('port-add-transport'), { target: { value: 'tcp' } });
    fireEvent.change(screen.getByTestId('port-add-path'), { target: { value: ' 10.0.0.20:4001 ' } });
    fireEvent.click(screen.getByTestId('port-add-submit'));
    await act(async () => {});
    expect(hub.callsOf('addPort')).toEqual([{ transport: 'tcp', path: '10.0.0.20:4001' }]);
    expect(screen.getByTestId('port-tcp:10.0.0.20:4001').textContent).toContain('Network (TCP, the hub connects) (added by hand)');
    expect(screen.getByTestId('port-detail').textContent).toContain('10.0.0.20:4001');
    // A network box keeps its own line settings.
    expect(screen.queryByTestId('port-setting-baudRate')).toBeNull();
    expect(screen.getByTestId('port-add-path')).toHaveProperty('value', '');
  });

  it('adds a port the hub listens on: only drivers of devices that connect are offered, and the card says how many are connected', async () => {
    const LISTEN = port('0.0.0.0:3000', { id: 'listen:0.0.0.0:3000', transport: 'listen', origin: 'manual', match: { kind: 'none', driverIds: [], message: 'Devices connect to this port.' } });
    const hub = biomedHub([LISTEN]);
    hub.handle('addPort', ({ transport, path }) => ({ ok: true, value: port(path, { id: `${transport}:${path}`, transport, origin: 'manual' }) }));
    render(<App client={hub} />);
    fireEvent.change(await screen.findByTestId('port-add-transport'), { target: { value: 'listen' } });
    fireEvent.click(screen.getByTestId('port-add-submit'));
    expect(screen.getByTestId('port-add-error').textContent).toMatch(/^Type where to listen as host:port/);
    expect(screen.getByTestId('port-add-path')).toHaveProperty('placeholder', '0.0.0.0:3000');
    fireEvent.change(screen.getByTestId('port-add-transport'), { target: { value: 'http' } });
    expect(screen.getByTestId('port-add-path')).toHaveProperty('placeholder', 'http://127.0.0.1:9233');

    fireEvent.click(screen.getByTestId('port-open-listen:0.0.0.0:3000'));
    // A serial, HID or web-service driver can never be read on it: the choice is the monitor's only.
    expect(optionTexts('port-driver-listen:0.0.0.0:3000')).toEqual(['', 'mindray-hl7']);
    expect(screen.getByTestId('port-listen-hint').textContent).toContain("this workstation at its address, port 3000");
    cleanup();

    const listening = { ...LISTEN, state: 'connected' as const, connections: 2, assignment: { driverId: 'mindray-hl7', autoConnect: true, by: 'person' as const } };
    render(<App client={biomedHub([listening])} />);
    expect((await screen.findByTestId('port-state-listen:0.0.0.0:3000')).textContent).toBe('Listening · 2 devices connected');
  });

  it("adds a meter's folder by its full path (a relative one refused at once), says whether the folder is there, and reads it with Read now", async () => {
    const hub = biomedHub([]);
    hub.handle('addPort', ({ transport, path }) => ({
      ok: true,
      value: port(path, { id: `${transport}:${path}`, transport, origin: 'manual', match: { kind: 'none', driverIds: [], message: "A meter's mounted folder of report files: choose its driver by hand." } }),
    }));
    render(<App client={hub} />);
    fireEvent.change(await screen.findByTestId('port-add-transport'), { target: { value: 'folder' } });
    expect(screen.getByTestId('port-add-path')).toHaveProperty('placeholder', '/media/ACCU-CHEK or E:\\');
    fireEvent.click(screen.getByTestId('port-add-submit'));
    expect(screen.getByTestId('port-add-error').textContent).toBe('Type the full path of the meter’s disk or of its Reports folder.');
    fireEvent.change(screen.getByTestId('port-add-path'), { target: { value: 'ACCU-CHEK' } });
    fireEvent.click(screen.getByTestId('port-add-submit'));
    expect(screen.getByTestId('port-add-error').textContent).toMatch(/is not an absolute folder path/);
    expect(hub.callsOf('addPort')).toEqual([]);
    fireEvent.change(screen.getByTestId('port-add-path'), { target: { value: '/media/ACCU-CHEK' } });
    fireEvent.click(screen.getByTestId('port-add-submit'));
    await act(async () => {});
    expect(hub.callsOf('addPort')).toEqual([{ transport: 'folder', path: '/media/ACCU-CHEK' }]);
    expect(screen.getByTestId('port-folder:/media/ACCU-CHEK').textContent).toContain('Meter folder (report files on its disk) (added by hand)');
    cleanup();

    const assignment = { driverId: 'roche-accu-chek-mobile', autoConnect: true, by: 'person' as const };
    const found = port('/media/ACCU-CHEK', { id: 'folder:/media/ACCU-CHEK', transport: 'folder', origin: 'manual', present: true, state: 'idle', assignment });
    const gone = port('/mnt/OTHER', {
      id: 'folder:/mnt/OTHER',
      transport: 'folder',
      origin: 'manual',
      present: false,
      state: 'absent',
      assignment,
      health: { readings: 0, checksumErrors: 0, timeouts: 0, sessions: 0, hints: ['The folder /mnt/OTHER is not there: is the meter connected with its USB cable in Reports mode, and its disk mounted?'] },
    });
    const hub2 = biomedHub([found, gone]);
    hub2.handle('connectPort', () => ({ ok: true, value: { ...found, state: 'connected' } }));
    render(<App client={hub2} />);
    expect((await screen.findByTestId('port-state-folder:/media/ACCU-CHEK')).textContent).toBe('Connected (folder found)');
    expect(screen.getByTestId('port-state-folder:/mnt/OTHER').textContent).toBe('Folder not found');
    expect(screen.getByTestId('port-folder:/mnt/OTHER').textContent).toContain('is not there: is the meter connected');
    fireEvent.click(screen.getByTestId('port-open-folder:/media/ACCU-CHEK'));
    // Only a driver that reads report files fits a folder.
    expect(optionTexts('port-driver-folder:/media/ACCU-CHEK')).toEqual(['', 'roche-accu-chek-mobile']);
    const readNow = screen.getByTestId('port-connect-folder:/media/ACCU-CHEK');
    expect(readNow.textContent).toBe('Read now');
    fireEvent.click(readNow);
    await act(async () => {});
    expect(hub2.callsOf('connectPort')).toEqual([{ portId: 'folder:/media/ACCU-CHEK' }]);
  });

  it('shows the hub’s refusal to add a port', async () => {
    const hub = biomedHub([]);
    hub.handle('addPort', () => ({ ok: false, error: { code: 'INPUT_INVALID', message: 'path: /dev/nope does not exist' } }));
    render(<App client={hub} />);
    fireEvent.change(await screen.findByTestId('port-add-path'), { target: { value: '/dev/nope' } });
    fireEvent.click(screen.getByTestId('port-add-submit'));
    await act(async () => {});
    expect(screen.getByTestId('port-add-error').textContent).toBe('Please check what you entered: path: /dev/nope does not exist');
  });

  it('is in the nav for biomed and admins only', async () => {
    render(<App client={biomedHub([NONE], 'admin')} />);
    expect(await screen.findByTestId('nav-devices')).toBeTruthy();
    cleanup();

    const assistant = createFakeHub();
    render(<App client={assistant} />);
    await screen.findByTestId('nav-outbox');
    expect(screen.queryByTestId('nav-devices')).toBeNull();
    expect(screen.getByText('The device console is for biomedical engineers and administrators.')).toBeTruthy();
    expect(assistant.callsOf('listPorts')).toEqual([]);
  });
});
