// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SimulatorInfo } from '../../shared/api/ports-model.ts';
import { CONFIG_FORMAT } from '../../shared/config/workstation-config.ts';
import { App } from '../app.tsx';
import { biomedHub, port } from './biomed-fixtures.ts';

const clicked: Array<{ download: string; href: string }> = [];
beforeEach(() => {
  window.location.hash = '#/devices';
  clicked.length = 0;
  Object.defineProperty(URL, 'createObjectURL', { configurable: true, value: () => 'blob:test/config' });
  Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: () => undefined });
  // jsdom does not download: note which file the page asked the browser to save.
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push({ download: this.download, href: this.href });
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const jsonFile = (text: string, name = 'config.json'): File => new File([text], name, { type: 'application/json' });

describe('Biomed console: simulators', () => {
  it('starts a driver’s simulator with a scenario on a path, lists it and stops it', async () => {
    const hub = biomedHub([]);
    const running: SimulatorInfo[] = [];
    hub.handle('listSimulators', () => ({ ok: true, value: [...running] }));
    hub.handle('startSimulator', ({ driverId, path, scenario }) => {
      const sim = { id: 'sim-1', driverId, path, scenario: scenario ?? 'normal', startedAt: '2026-01-14T08:30:00Z' };
      running.push(sim);
      return { ok: true, value: sim };
    });
    hub.handle('stopSimulator', ({ id }) => {
      running.splice(running.findIndex((s) => s.id === id), 1);
      return { ok: true, value: { ok: true } };
    });
    render(<App client={hub} />);
    await screen.findByText('No simulator is running.');
    // HID drivers and drivers without a simulator are not offered.
    const offered = Array.from((screen.getByTestId('sim-driver') as HTMLSelectElement).options).map((o) => o.value);
    expect(offered).toEqual(['', 'siemens-clinitek-status', 'masimo-rad8', 'lifescan-onetouch-ultra2', 'lifescan-onetouch-ultraeasy']);
    fireEvent.change(screen.getByTestId('sim-driver'), { target: { value: 'siemens-clinitek-status' } });
    expect(Array.from((screen.getByTestId('sim-scenario') as HTMLSelectElement).options).map((o) => o.textContent)).toEqual(['Default (normal)', 'normal', 'abnormal', 'bad-checksum']);
    fireEvent.change(screen.getByTestId('sim-scenario'), { target: { value: 'abnormal' } });
    fireEvent.click(screen.getByTestId('sim-start'));
    expect(screen.getByTestId('sim-error').textContent).toBe('Type the port or pty to play it on.');
    fireEvent.change(screen.getByTestId('sim-path'), { target: { value: '/tmp/pty/a' } });
    fireEvent.click(screen.getByTestId('sim-start'));
    await act(async () => {});
    expect(hub.callsOf('startSimulator')).toEqual([{ driverId: 'siemens-clinitek-status', path: '/tmp/pty/a', scenario: 'abnormal' }]);
    expect(screen.getByTestId('status-line').textContent).toBe('Simulating CLINITEK Status+ (abnormal) on /tmp/pty/a.');
    expect((await screen.findByTestId('sim-row-sim-1')).textContent).toContain('/tmp/pty/a');
    fireEvent.click(screen.getByTestId('sim-stop-sim-1'));
    await act(async () => {});
    expect(hub.callsOf('stopSimulator')).toEqual([{ id: 'sim-1' }]);
    await waitFor(() => expect(screen.queryByTestId('sim-row-sim-1')).toBeNull());
  });
});

describe('Biomed console: configuration file', () => {
  it('exports the configuration as pochub-config-<workstation>.json', async () => {
    const hub = biomedHub([]);
    hub.handle('exportConfig', () => ({ ok: true, value: { format: CONFIG_FORMAT, version: 1, discovery: { autoConnect: true, pollMs: 2000 }, review: { resultAgeMinutes: 60 }, ports: [], memoryImport: { recentWindowMinutes: 120 }, exportTargets: [] } }));
    render(<App client={hub} />);
    fireEvent.click(await screen.findByTestId('config-export'));
    await act(async () => {});
    expect(clicked).toEqual([{ download: 'pochub-config-ROOM-3.json', href: 'blob:test/config' }]);
    expect(screen.getByTestId('status-line').textContent).toBe('Saved the configuration as pochub-config-ROOM-3.json.');
    // Biomed may export, not import.
    expect(screen.queryByTestId('config-import-submit')).toBeNull();
    expect(screen.getByText('Only an administrator can import a configuration file.')).toBeTruthy();
  });

  it('imports as an admin: the refusal names the field, the summary counts what was applied', async () => {
    const hub = biomedHub([], 'admin');
    let refuse = true;
    hub.handle('importConfig', () =>
      refuse
        ? { ok: false, error: { code: 'INPUT_INVALID', message: 'ports[1].settings.baudRate: must be at least 50' } }
        : { ok: true, value: { ports: 2, exportTargets: 1 } },
    );
    render(<App client={hub} />);
    const input = await screen.findByTestId('config-import-file');
    fireEvent.change(input, { target: { files: [jsonFile('{ not json')] } });
    fireEvent.click(screen.getByTestId('config-import-submit'));
    await waitFor(() => expect(screen.getByTestId('config-import-error').textContent).toContain('config.json is not a configuration file (not JSON'));
    expect(hub.callsOf('importConfig')).toEqual([]);

    const config = { format: CONFIG_FORMAT, version: 1, ports: [{ transport: 'serial', path: '/dev/ttyUSB0', driverId: 'x' }, { transport: 'serial', path: '/dev/ttyUSB1', driverId: 'y', settings: { baudRate: 1 } }] };
    fireEvent.change(input, { target: { files: [jsonFile(JSON.stringify(config))] } });
    fireEvent.click(screen.getByTestId('config-import-submit'));
    await waitFor(() => expect(screen.getByTestId('config-import-error').textContent).toBe('Nothing was changed. Please check what you entered: ports[1].settings.baudRate: must be at least 50'));
    expect(hub.callsOf('importConfig')).toEqual([{ config }]);

    refuse = false;
    hub.handle('listPorts', () => ({ ok: true, value: [port('/dev/ttyUSB0')] }));
    fireEvent.click(screen.getByTestId('config-import-submit'));
    await waitFor(() => expect(screen.getByTestId('config-import-summary').textContent).toBe('Imported config.json: 2 ports, 1 export target.'));
    expect(screen.getByTestId('config-import-error').textContent).toBe('');
    // The port list is asked again.
    expect(await screen.findByTestId('port-serial:/dev/ttyUSB0')).toBeTruthy();
  });
});
