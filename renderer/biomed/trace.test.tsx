// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { observe, quantity } from '../../shared/observation.ts';
import type { Reading } from '../../shared/reading.ts';
import { App } from '../app.tsx';
import { biomedHub, entry, port, resetSeq } from './biomed-fixtures.ts';

const PTY = port('/dev/pts/7', {
  origin: 'manual',
  assignment: { driverId: 'siemens-clinitek-status', settings: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' }, autoConnect: true, by: 'person' },
  state: 'connected',
});
const ID = PTY.id;

const created: string[] = [];
const revoked: string[] = [];
beforeEach(() => {
  window.location.hash = '#/devices';
  resetSeq();
  created.length = 0;
  revoked.length = 0;
  // jsdom has no object URLs: record what the page makes and lets go of.
  Object.defineProperty(URL, 'createObjectURL', { configurable: true, value: (blob: Blob) => (created.push(String(blob.size)), `blob:test/${created.length}`) });
  Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: (url: string) => revoked.push(url) });
});
afterEach(cleanup);

const rows = (): HTMLElement[] => screen.queryAllByTestId('trace-row');

async function openPty(hub: ReturnType<typeof biomedHub>): Promise<void> {
  render(<App client={hub} />);
  fireEvent.click(await screen.findByTestId(`port-open-${ID}`));
  await act(async () => {});
}

describe('Biomed console: live trace', () => {
  it('shows the newest entries, then the trace events, each with direction, hex, text, frame kind and checksum', async () => {
    const hub = biomedHub([PTY]);
    hub.handle('getTrace', () => ({
      ok: true,
      value: [
        entry({ direction: 'out', hex: '05', text: '<ENQ>', frame: { kind: 'enq', checksum: 'none' } }),
        entry({ hex: '06', text: '<ACK>', frame: { kind: 'ack', checksum: 'none' } }),
      ],
    }));
    await openPty(hub);
    expect(hub.callsOf('getTrace')).toEqual([{ portId: ID, limit: 500 }]);
    expect(rows()).toHaveLength(2);
    expect(rows()[0]?.dataset).toMatchObject({ direction: 'out', frame: 'enq', checksum: 'none' });
    expect(rows()[0]?.textContent).toContain('08:30:00.125');
    expect(rows()[0]?.textContent).toContain('← to device');
    expect(rows()[0]?.textContent).toContain('<ENQ>');
    expect(rows()[1]?.textContent).toContain('→ to host');

    act(() =>
      hub.emit('trace', {
        portId: ID,
        entries: [
          // seq 2 repeats what getTrace gave: shown once.
          entry({ seq: 2, hex: '06', text: '<ACK>' }),
          entry({ seq: 3, hex: '02 31 48 7c 0d 03 41 42', text: '<STX>1H|<CR><ETX>AB', frame: { kind: 'astm', checksum: 'good', note: 'header' } }),
          entry({ seq: 4, hex: '02 32 50 03 30 30', text: '<STX>2P<ETX>00', frame: { kind: 'astm', checksum: 'bad' } }),
        ],
      }),
    );
    act(() => hub.emit('trace', { portId: 'serial:/dev/other', entries: [entry({ portId: 'serial:/dev/other', seq: 9 })] }));
    expect(rows()).toHaveLength(4);
    const good = rows()[2];
    expect(good?.dataset).toMatchObject({ direction: 'in', frame: 'astm', checksum: 'good' });
    expect(good?.textContent).toContain('02 31 48 7c 0d 03 41 42');
    expect(good?.textContent).toContain('<STX>1H|<CR><ETX>AB');
    expect(good?.textContent).toContain('ASTM frame');
    expect(good?.textContent).toContain('✓ Checksum good');
    expect(good?.querySelector('.trace-checksum--good')).toBeTruthy();
    expect(rows()[3]?.textContent).toContain('✗ Checksum bad');
    expect(rows()[3]?.querySelector('.trace-checksum--bad')).toBeTruthy();
    expect(screen.getByTestId('trace-count').textContent).toBe('4 entries');
  });

  it('holds new entries back while paused, counting them, and shows them on resume', async () => {
    const hub = biomedHub([PTY]);
    await openPty(hub);
    act(() => hub.emit('trace', { portId: ID, entries: [entry()] }));
    expect(rows()).toHaveLength(1);
    fireEvent.click(screen.getByTestId('trace-pause'));
    expect(screen.getByTestId('trace-pause').textContent).toBe('Resume');
    expect(screen.getByTestId('trace-pause').getAttribute('aria-pressed')).toBe('true');
    act(() => hub.emit('trace', { portId: ID, entries: [entry(), entry()] }));
    act(() => hub.emit('trace', { portId: ID, entries: [entry()] }));
    expect(rows()).toHaveLength(1);
    expect(screen.getByTestId('trace-held').textContent).toBe('Paused: 3 new entries waiting');
    fireEvent.click(screen.getByTestId('trace-pause'));
    expect(rows()).toHaveLength(4);
    expect(rows().map((r) => r.dataset.seq)).toEqual(['1', '2', '3', '4']);
    expect(screen.getByTestId('trace-held').textContent).toBe('');
  });

  it('filters by direction and by text or hex', async () => {
    const hub = biomedHub([PTY]);
    hub.handle('getTrace', () => ({
      ok: true,
      value: [
        entry({ direction: 'out', hex: '05', text: '<ENQ>' }),
        entry({ hex: '02 52 7c 31 03', text: '<STX>R|1<ETX>' }),
        entry({ hex: '04', text: '<EOT>' }),
      ],
    }));
    await openPty(hub);
    fireEvent.change(screen.getByTestId('trace-filter-direction'), { target: { value: 'in' } });
    expect(rows().map((r) => r.dataset.direction)).toEqual(['in', 'in']);
    expect(screen.getByTestId('trace-count').textContent).toBe('2 of 3 entries shown');
    fireEvent.change(screen.getByTestId('trace-filter-text'), { target: { value: 'r|1' } });
    expect(rows()).toHaveLength(1);
    fireEvent.change(screen.getByTestId('trace-filter-text'), { target: { value: '04' } });
    expect(rows()[0]?.textContent).toContain('<EOT>');
    fireEvent.change(screen.getByTestId('trace-filter-direction'), { target: { value: 'out' } });
    expect(rows()).toHaveLength(0);
    fireEvent.change(screen.getByTestId('trace-filter-text'), { target: { value: '' } });
    expect(rows().map((r) => r.textContent?.includes('<ENQ>'))).toEqual([true]);
  });

  it('keeps at most 2000 rows', async () => {
    const hub = biomedHub([PTY]);
    await openPty(hub);
    act(() => hub.emit('trace', { portId: ID, entries: Array.from({ length: 2100 }, () => entry()) }));
    expect(rows()).toHaveLength(2000);
    expect(rows()[0]?.dataset.seq).toBe('101');
  });
});

describe('Biomed console: record and replay', () => {
  it('records with masking as chosen and offers the trace as a download on stop', async () => {
    const hub = biomedHub([PTY]);
    hub.handle('stopRecording', () => ({ ok: true, value: { fileName: 'clinitek-2026-01-14T083000.trace', trace: '# pochub trace v1\n< 02 31 03\n', frames: 7 } }));
    await openPty(hub);
    expect(screen.getByTestId('trace-record-mask')).toHaveProperty('checked', true);
    expect(screen.getByTestId('trace-record-stop')).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByTestId('trace-record-mask'));
    fireEvent.click(screen.getByTestId('trace-record-start'));
    await act(async () => {});
    expect(hub.callsOf('startRecording')).toEqual([{ portId: ID, maskPatientIds: false }]);
    expect(screen.getByTestId('trace-recording').textContent).toBe('Recording now…');
    expect(screen.getByTestId(`port-state-${ID}`).textContent).toBe('Connected · Recording');
    fireEvent.click(screen.getByTestId('trace-record-stop'));
    await act(async () => {});
    expect(hub.callsOf('stopRecording')).toEqual([{ portId: ID }]);
    const link = screen.getByTestId('trace-download');
    expect(link.getAttribute('download')).toBe('clinitek-2026-01-14T083000.trace');
    expect(link.getAttribute('href')).toBe('blob:test/1');
    expect(created).toEqual([String('# pochub trace v1\n< 02 31 03\n'.length)]);
    expect(screen.getByTestId('trace-frames').textContent).toBe('7 frames');
    expect(screen.getByTestId('trace-recording').textContent).toBe('');
    cleanup();
    expect(revoked).toEqual(['blob:test/1']);
  });

  it('replays a trace file against the chosen driver and shows the readings and problems', async () => {
    const hub = biomedHub([PTY]);
    const reading: Reading = {
      driver: 'siemens-clinitek-status',
      device: { manufacturer: 'Siemens', model: 'CLINITEK Status+', serial: 'SN42' },
      kind: 'patient',
      deviceTime: '2026-01-14T08:29:00',
      receivedAt: '2026-01-14T08:30:00Z',
      effectiveTime: '2026-01-14T08:29:00Z',
      observations: [observe('urinePh', quantity(6.5, '[pH]')), observe('urineSpecificGravity', quantity(1.015, '1'))],
      flags: [],
    };
    hub.handle('replayTrace', () => ({ ok: true, value: { readings: [reading], end: 'end of trace', problems: ['line 9: driver wrote 06 where the trace has 15'] } }));
    await openPty(hub);
    // The open port's driver is the one offered first.
    expect(screen.getByTestId('trace-load-driver')).toHaveProperty('value', 'siemens-clinitek-status');
    fireEvent.click(screen.getByTestId('trace-load-submit'));
    expect(screen.getByTestId('trace-load-error').textContent).toBe('Choose a trace file.');
    const text = '# pochub trace v1\n< 02 31 03\n';
    fireEvent.change(screen.getByTestId('trace-load-file'), { target: { files: [new File([text], 'saved.trace', { type: 'text/plain' })] } });
    fireEvent.click(screen.getByTestId('trace-load-submit'));
    await waitFor(() => expect(screen.queryByTestId('replay-result')).toBeTruthy());
    expect(hub.callsOf('replayTrace')).toEqual([{ driverId: 'siemens-clinitek-status', trace: text }]);
    const readings = screen.getAllByTestId('replay-reading');
    expect(readings).toHaveLength(1);
    expect(readings[0]?.textContent).toContain('pH 6.5');
    expect(readings[0]?.textContent).toContain('Specific gravity 1.015');
    expect(readings[0]?.textContent).toContain('Siemens CLINITEK Status+');
    expect(screen.getAllByTestId('replay-value').map((v) => v.dataset.value)).toEqual(['6.5', '1.015']);
    expect(screen.getByTestId('replay-problem').textContent).toContain('line 9');
    expect(screen.getByTestId('replay-result').textContent).toContain('saved.trace: 1 reading.');
  });
});
