// @vitest-environment jsdom
import { act, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../shared/api/model.ts';
import { observe, quantity, type Observation } from '../../shared/observation.ts';
import { App } from '../app.tsx';
import { obsParts, summarize } from '../format/observations.ts';
import { buildFlowsheet } from '../history/flowsheet.ts';
import { FlowsheetTable } from '../history/flowsheet-table.tsx';
import { ReadingsTable } from '../history/readings-table.tsx';
import { ReadingRow } from '../review/reading-row.tsx';
import { JANE, createFakeHub, pendingItem } from '../testing/fake-hub.ts';
import { jsdomScope } from '../testing/jsdom-scope.ts';

/** A scale's weight in lb, its height in in and a thermometer's °F, as the devices print them. */
const WEIGHT_LB = observe('bodyWeight', quantity(172.4, '[lb_av]', undefined, 1));
const HEIGHT_IN = observe('bodyHeight', quantity(68, '[in_i]'));
const TEMP_F = observe('bodyTemperature', quantity(98.6, '[degF]', undefined, 1));
const WEIGHT_KG = observe('bodyWeight', quantity(78.2, 'kg', undefined, 1));
const TEMP_C = observe('bodyTemperature', quantity(37, 'Cel'));
const SPO2 = observe('spo2', quantity(97, '%'));

jsdomScope({ resetHash: true });

const item = (id: string, observations: Observation[], at = '2026-01-14T08:03:20Z'): ReviewItem => {
  const base = pendingItem({ id, patient: JANE, observations });
  return { ...base, reading: { ...base.reading, effectiveTime: at } };
};

/** The text a person sees (screen-reader words left out). */
const seen = (el: Element | null | undefined): string => {
  const copy = el?.cloneNode(true) as Element | undefined;
  copy?.querySelectorAll('.visually-hidden').forEach((e) => e.remove());
  return (copy?.textContent ?? '').replace(/\s+/g, ' ').trim();
};

describe('the other unit beside a weight, height or temperature', () => {
  it('comes after the device value and unit, never in their place; other values get none', () => {
    expect(obsParts(WEIGHT_LB)).toEqual({ value: '172.4', unit: 'lb', converted: '78.2 kg' });
    expect(obsParts(WEIGHT_KG)).toEqual({ value: '78.2', unit: 'kg', converted: '172.4 lb' });
    expect(obsParts(HEIGHT_IN)).toEqual({ value: '68', unit: 'in', converted: '172.7 cm' });
    expect(obsParts(TEMP_F)).toEqual({ value: '98.6', unit: '°F', converted: '37.0 °C' });
    expect(obsParts(TEMP_C)).toEqual({ value: '37.0', unit: '°C', converted: '98.6 °F' });
    expect(obsParts(SPO2)).toEqual({ value: '97', unit: '%' });
    // A weight in grams (an infant scale) is shown as the device gave it, with nothing beside it.
    expect(obsParts(observe('bodyWeight', quantity(3450, 'g')))).toEqual({ value: '3450', unit: 'g' });
    expect(summarize([WEIGHT_LB, TEMP_F])).toBe('Weight 172.4 lb (78.2 kg), Temperature 98.6 °F (37.0 °C)');
  });

  it('the review row shows "172.4 lb (78.2 kg)" with the converted value marked as converted', () => {
    const noop = (): void => undefined;
    render(<ReadingRow item={item('w1', [WEIGHT_LB, HEIGHT_IN])} focused position={1} total={1} confirmBlocked={undefined} assignLabel={undefined} ownerLabel={undefined} busy={false} onFocus={noop} onConfirm={noop} onReject={noop} onAssign={noop} />);
    const values = [...screen.getByRole('list', { name: 'Values' }).querySelectorAll('li')];
    expect(values.map(seen)).toEqual(['Weight172.4lb (78.2 kg)', 'Height68in (172.7 cm)']);
    const note = within(values[0] as HTMLElement).getByTestId('converted');
    expect(note.getAttribute('title')).toMatch(/^Converted by POC Hub/);
    expect(note.textContent).toBe(' (78.2 kg, converted)');
    expect(screen.getByText(/^Reading 1 of 1: Weight 172\.4 lb \(78\.2 kg\), Height 68 in \(172\.7 cm\)/)).toBeTruthy();
  });

  it('the flowsheet keeps a row per device unit, each value with the other unit beside it', () => {
    const sheet = buildFlowsheet([item('w-lb', [WEIGHT_LB, TEMP_F]), item('w-kg', [WEIGHT_KG], '2026-01-14T08:01:05Z')], { showRejected: false });
    render(<FlowsheetTable sheet={sheet} caption="History" />);
    const lb = screen.getByTestId('flowsheet-row-bodyWeight|[lb_av]');
    expect(within(lb).getByRole('rowheader').textContent).toBe('Weight (lb)');
    expect(seen(lb.querySelector('[data-reading-id="w-lb"]'))).toBe('172.4 (78.2 kg)pending');
    expect(lb.querySelector('[data-reading-id="w-lb"] strong')?.textContent).toBe('172.4');
    const kg = screen.getByTestId('flowsheet-row-bodyWeight|kg');
    expect(seen(kg.querySelector('[data-reading-id="w-kg"]'))).toBe('78.2 (172.4 lb)pending');
    expect(seen(screen.getByTestId('flowsheet-row-bodyTemperature|[degF]').querySelector('[data-reading-id="w-lb"]'))).toBe('98.6 (37.0 °C)pending');
  });

  it('the history list shows both units', () => {
    render(<ReadingsTable items={[item('h1', [WEIGHT_KG, SPO2])]} testIdPrefix="history" caption="History" />);
    const values = [...screen.getByTestId('history-h1').querySelectorAll('.cell-values li')].map(seen);
    expect(values).toEqual(['Weight 78.2 kg (172.4 lb)', 'SpO₂ 97 %']);
  });

  it('a live device tile (a monitor with a thermometer) shows both units', async () => {
    const hub = createFakeHub({ patient: JANE, devices: [{ key: 'ge-dinamap:1', driverId: 'ge-dinamap', label: 'Dinamap', kind: 'continuous', connection: 'simulated' }] });
    render(<App client={hub} />);
    const tile = await screen.findByTestId('live-ge-dinamap:1');
    act(() => hub.emit('live', { deviceKey: 'ge-dinamap:1', live: { at: '2026-01-14T08:30:00Z', valid: true, flags: [], observations: [SPO2, TEMP_F] } }));
    expect([...tile.querySelectorAll('.live-value')].map(seen)).toEqual(['SpO₂97%', 'Temperature98.6°F (37.0 °C)']);
  });
});
