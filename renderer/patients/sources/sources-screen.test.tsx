// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodInput } from '../../../shared/api/contract.ts';
import type { PatientSourceView } from '../../../shared/patients/patient-lookup.ts';
import type { PatientSource } from '../../../shared/patients/patient-sources.ts';
import { App } from '../../app.tsx';
import { signInAs } from '../../export/outbox-fixtures.ts';
import { createFakeHub, type FakeHub } from '../../testing/fake-hub.ts';

beforeEach(() => {
  window.location.hash = '#/patient-sources';
});
afterEach(cleanup);

const view = (source: PatientSource, hasSecret = false): PatientSourceView => ({ source, hasSecret, updatedAt: '2026-12-07T09:00:00.000Z' });
const EHR = view(
  { id: 'ehr', name: 'Hospital FHIR', kind: 'fhir', enabled: true, baseUrl: 'https://fhir.hospital.example/r4', location: 'Location/12', auth: { type: 'bearer' }, timeoutMs: 10000 },
  true,
);
const ADT = view({ id: 'adt', name: 'Ward ADT', kind: 'hl7-adt', enabled: false, listen: '127.0.0.1:2576', senders: ['EPIC^HOSP'] });

/** An admin's hub with the two sources, saving whatever it is sent. */
function adminHub(): FakeHub {
  const hub = createFakeHub();
  signInAs(hub, 'admin');
  hub.handle('listPatientSources', () => ({ ok: true, value: [EHR, ADT] }));
  hub.handle('savePatientSource', ({ source, secret }) => ({ ok: true, value: view(source as PatientSource, typeof secret === 'string') }));
  return hub;
}
const type = (testId: string, value: string): void => {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
};
const saved = (hub: FakeHub): MethodInput<'savePatientSource'>[] => hub.callsOf('savePatientSource') as MethodInput<'savePatientSource'>[];

describe('Patient sources', () => {
  it('lists the sources (token stored, never the token) and adds a FHIR source with a bearer token', async () => {
    const hub = adminHub();
    render(<App client={hub} />);
    const row = await screen.findByTestId('source-ehr');
    expect(row.textContent).toContain('https://fhir.hospital.example/r4');
    expect(row.textContent).toContain('Location/12');
    expect(row.textContent).toContain('Token stored');
    expect(screen.getByTestId('source-adt').textContent).toContain('listens on 127.0.0.1:2576 (from EPIC^HOSP)');
    expect(screen.getByTestId('source-adt').textContent).toContain('No: not asked');
    expect(screen.getByTestId('nav-patient-sources')).toBeTruthy();

    fireEvent.click(screen.getByTestId('source-add-fhir'));
    expect(document.activeElement).toBe(screen.getByTestId('source-field-id'));
    type('source-field-id', 'clinic');
    type('source-field-name', 'Clinic FHIR');
    type('source-field-baseUrl', 'https://ehr.example/fhir');
    type('source-field-identifierSystem', 'urn:oid:2.16.840.1');
    type('source-field-location', 'Location/7');
    type('source-field-authType', 'bearer');
    type('target-secret', 's3cret-token');
    fireEvent.click(screen.getByTestId('source-save'));
    await act(async () => {});
    expect(saved(hub)).toEqual([
      {
        source: { id: 'clinic', name: 'Clinic FHIR', kind: 'fhir', enabled: true, baseUrl: 'https://ehr.example/fhir', identifierSystem: 'urn:oid:2.16.840.1', location: 'Location/7', auth: { type: 'bearer' }, timeoutMs: 10000 },
        secret: 's3cret-token',
      },
    ]);
    expect(screen.queryByTestId('source-form')).toBeNull();
    expect(screen.getByTestId('status-line').textContent).toBe('Saved patient source Clinic FHIR.');
    expect(hub.callsOf('listPatientSources')).toHaveLength(2);
  });

  it('changes an ADT source: senders one a line; the token is sent only when typed', async () => {
    const hub = adminHub();
    render(<App client={hub} />);
    fireEvent.click(await screen.findByTestId('source-edit-adt'));
    expect(screen.getByTestId('source-field-id')).toHaveProperty('disabled', true);
    type('source-field-senders', 'EPIC^HOSP\n  LAB^HOSP \n');
    fireEvent.click(screen.getByTestId('source-field-enabled'));
    fireEvent.click(screen.getByTestId('source-save'));
    await act(async () => {});
    expect(saved(hub)[0]).toEqual({ source: { id: 'adt', name: 'Ward ADT', kind: 'hl7-adt', enabled: true, listen: '127.0.0.1:2576', senders: ['EPIC^HOSP', 'LAB^HOSP'] } });

    fireEvent.click(screen.getByTestId('source-edit-ehr'));
    expect(screen.getByText('Leave empty to keep the stored token.', { exact: false })).toBeTruthy();
    fireEvent.click(screen.getByTestId('source-save'));
    await act(async () => {});
    expect(saved(hub)[1]).not.toHaveProperty('secret');
    fireEvent.click(screen.getByTestId('source-edit-ehr'));
    fireEvent.click(screen.getByTestId('target-secret-remove'));
    fireEvent.click(screen.getByTestId('source-save'));
    await act(async () => {});
    expect(saved(hub)[2]).toHaveProperty('secret', null);
  });

  it('shows refusals on their fields: the shared schema first, then the hub', async () => {
    const hub = adminHub();
    render(<App client={hub} />);
    fireEvent.click(await screen.findByTestId('source-add-hl7-adt'));
    type('source-field-id', 'adt');
    type('source-field-name', 'Second feed');
    type('source-field-listen', 'nowhere');
    fireEvent.click(screen.getByTestId('source-save'));
    await act(async () => {});
    expect(screen.getByTestId('source-field-listen-error').textContent).toContain('host:port');
    expect(screen.getByTestId('source-field-listen').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(screen.getByTestId('source-field-listen'));
    expect(screen.getByTestId('source-error').textContent).toBe('Please check the field marked above.');
    type('source-field-listen', '127.0.0.1:2577');
    fireEvent.click(screen.getByTestId('source-save'));
    await act(async () => {});
    expect(screen.getByTestId('source-field-id-error').textContent).toContain('A source "adt" exists already');
    expect(saved(hub)).toEqual([]);
    fireEvent.click(screen.getByTestId('source-cancel'));

    hub.handle('savePatientSource', () => ({ ok: false, error: { code: 'INPUT_INVALID', message: 'FHIR base URL must use https.', details: { path: 'source.baseUrl' } } }));
    fireEvent.click(screen.getByTestId('source-edit-ehr'));
    fireEvent.click(screen.getByTestId('source-save'));
    await act(async () => {});
    expect(screen.getByTestId('source-field-baseUrl-error').textContent).toBe('FHIR base URL must use https.');
    hub.handle('savePatientSource', () => ({ ok: false, error: { code: 'INPUT_INVALID', message: 'An HL7 ADT source has no secret.' } }));
    fireEvent.click(screen.getByTestId('source-save'));
    await act(async () => {});
    expect(screen.getByTestId('source-error').textContent).toBe('Please check what you entered: An HL7 ADT source has no secret.');
  });

  it('tests a connection and removes a source after confirming', async () => {
    const hub = adminHub();
    hub.handle('testPatientSource', ({ sourceId }) => ({ ok: true, value: sourceId === 'ehr' ? { ok: true, message: 'FHIR 4.0.1; search allowed' } : { ok: false, message: 'Address in use' } }));
    hub.handle('removePatientSource', () => ({ ok: true, value: { ok: true } }));
    render(<App client={hub} />);
    fireEvent.click(await screen.findByTestId('source-test-ehr'));
    await act(async () => {});
    const result = screen.getByTestId('source-test-result');
    expect(result.dataset.ok).toBe('true');
    expect(result.textContent).toContain('Connection OK (Hospital FHIR): FHIR 4.0.1; search allowed');
    fireEvent.click(screen.getByTestId('source-test-adt'));
    await act(async () => {});
    expect(result.textContent).toContain('Connection failed (Ward ADT): Address in use');

    fireEvent.click(screen.getByTestId('source-remove-adt'));
    expect(document.activeElement).toBe(screen.getByTestId('source-remove-cancel'));
    fireEvent.click(screen.getByTestId('source-remove-cancel'));
    expect(hub.callsOf('removePatientSource')).toEqual([]);
    fireEvent.click(screen.getByTestId('source-remove-adt'));
    fireEvent.click(screen.getByTestId('source-remove-confirm'));
    await act(async () => {});
    expect(hub.callsOf('removePatientSource')).toEqual([{ sourceId: 'adt' }]);
    expect(screen.queryByTestId('source-remove-dialog')).toBeNull();
    expect(screen.getByTestId('status-line').textContent).toBe('Removed patient source Ward ADT.');
  });

  it('lets biomed look and test only, and is not in the assistant’s nav', async () => {
    const biomed = createFakeHub();
    signInAs(biomed, 'biomed');
    biomed.handle('listPatientSources', () => ({ ok: true, value: [EHR] }));
    render(<App client={biomed} />);
    await screen.findByTestId('source-ehr');
    expect(screen.getByTestId('source-test-ehr')).toBeTruthy();
    expect(screen.queryByTestId('source-edit-ehr')).toBeNull();
    expect(screen.queryByTestId('source-remove-ehr')).toBeNull();
    expect(screen.queryByTestId('source-add-fhir')).toBeNull();
    cleanup();

    const assistant = createFakeHub();
    render(<App client={assistant} />);
    await screen.findByTestId('nav-outbox');
    expect(screen.queryByTestId('nav-patient-sources')).toBeNull();
    expect(screen.getByText('Patient sources are for administrators and biomedical engineers.')).toBeTruthy();
    expect(assistant.callsOf('listPatientSources')).toEqual([]);
  });
});
