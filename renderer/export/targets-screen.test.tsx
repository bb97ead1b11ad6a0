// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodInput } from '../../shared/api/contract.ts';
import type { ExportTargetView } from '../../shared/export/targets.ts';
import { App } from '../app.tsx';
import { createFakeHub, type FakeHub } from '../testing/fake-hub.ts';
import { signInAs, targetView } from './outbox-fixtures.ts';

beforeEach(() => {
  window.location.hash = '#/export-settings';
});
afterEach(cleanup);

const HL7 = targetView({
  id: 'ehr',
  name: 'EHR (HL7)',
  kind: 'hl7',
  enabled: true,
  retry: { baseMs: 2000, maxMs: 300000 },
  host: '10.0.0.5',
  port: 2575,
  profile: 'oru-r01-2.5.1',
  sendingApplication: 'POCHUB',
  sendingFacility: 'CLINIC',
  receivingApplication: 'EHR',
  receivingFacility: 'HOSP',
  processingId: 'P',
  patientAssigningAuthority: 'HOSP',
  ackTimeoutMs: 10000,
});
const FHIR = targetView(
  {
    id: 'fhir',
    name: 'FHIR server',
    kind: 'fhir',
    enabled: true,
    retry: { baseMs: 2000, maxMs: 300000 },
    baseUrl: 'https://fhir.hospital.example/r4',
    patientIdentifierSystem: 'urn:oid:1.2.3',
    auth: { type: 'bearer' },
    timeoutMs: 30000,
  },
  true,
);

/** An admin's hub with the two targets, saving whatever it is sent. */
function adminHub(): FakeHub {
  const hub = createFakeHub();
  signInAs(hub, 'admin');
  const targets: ExportTargetView[] = [HL7, FHIR];
  hub.handle('listExportTargets', () => ({ ok: true, value: targets }));
  hub.handle('saveExportTarget', ({ target }) => ({ ok: true, value: targetView(target as ExportTargetView['target']) }));
  return hub;
}

const type = (testId: string, value: string): void => {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
};
const saved = (hub: FakeHub): MethodInput<'saveExportTarget'>[] => hub.callsOf('saveExportTarget') as MethodInput<'saveExportTarget'>[];

describe('Export settings', () => {
  it('lists the targets and adds a FHIR target with a bearer token', async () => {
    const hub = adminHub();
    render(<App client={hub} />);
    expect((await screen.findByTestId('target-ehr')).textContent).toContain('10.0.0.5:2575');
    expect(screen.getByTestId('target-fhir').textContent).toContain('Stored');
    fireEvent.click(screen.getByTestId('target-add-fhir'));
    expect(document.activeElement).toBe(screen.getByTestId('target-field-id'));
    type('target-field-id', 'ehr-fhir');
    type('target-field-name', 'Hospital FHIR');
    type('target-field-baseUrl', 'https://ehr.example/fhir');
    type('target-field-patientIdentifierSystem', 'urn:oid:2.16.840.1');
    type('target-field-authType', 'bearer');
    expect(screen.getByText('No token is stored yet.', { exact: false })).toBeTruthy();
    type('target-secret', 's3cret-token');
    fireEvent.click(screen.getByTestId('target-save'));
    await act(async () => {});
    expect(saved(hub)).toEqual([
      {
        target: {
          id: 'ehr-fhir',
          name: 'Hospital FHIR',
          kind: 'fhir',
          enabled: true,
          retry: { baseMs: 2000, maxMs: 300000 },
          baseUrl: 'https://ehr.example/fhir',
          patientIdentifierSystem: 'urn:oid:2.16.840.1',
          auth: { type: 'bearer' },
          timeoutMs: 30000,
        },
        secret: 's3cret-token',
      },
    ]);
    expect(screen.queryByTestId('target-form')).toBeNull();
    expect(screen.getByTestId('status-line').textContent).toBe('Saved export target Hospital FHIR.');
    expect(hub.callsOf('listExportTargets')).toHaveLength(2);
  });

  it('sends the token only when typed, and null to remove it', async () => {
    const hub = adminHub();
    render(<App client={hub} />);
    fireEvent.click(await screen.findByTestId('target-edit-fhir'));
    expect(screen.getByTestId('target-field-id')).toHaveProperty('disabled', true);
    expect(screen.getByTestId('target-field-baseUrl')).toHaveProperty('value', 'https://fhir.hospital.example/r4');
    expect(screen.getByText('Leave empty to keep the stored token.', { exact: false })).toBeTruthy();
    type('target-field-timeoutMs', '15000');
    fireEvent.click(screen.getByTestId('target-save'));
    await act(async () => {});
    expect(saved(hub)[0]).not.toHaveProperty('secret');
    expect(saved(hub)[0]?.target).toMatchObject({ id: 'fhir', timeoutMs: 15000, auth: { type: 'bearer' } });

    fireEvent.click(screen.getByTestId('target-edit-fhir'));
    fireEvent.click(screen.getByTestId('target-secret-remove'));
    expect(screen.getByTestId('target-secret')).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByTestId('target-save'));
    await act(async () => {});
    expect(saved(hub)[1]).toHaveProperty('secret', null);
  });

  it('checks the form with the shared schema before sending', async () => {
    const hub = adminHub();
    render(<App client={hub} />);
    fireEvent.click(await screen.findByTestId('target-add-hl7'));
    type('target-field-id', 'ehr');
    type('target-field-name', 'Second EHR');
    type('target-field-host', 'ehr.local');
    type('target-field-port', '99999');
    fireEvent.click(screen.getByTestId('target-save'));
    await act(async () => {});
    expect(screen.getByTestId('target-error').textContent).toContain('Port:');
    type('target-field-port', '2575');
    fireEvent.click(screen.getByTestId('target-save'));
    await act(async () => {});
    expect(screen.getByTestId('target-error').textContent).toContain('a target "ehr" exists already');
    expect(saved(hub)).toEqual([]);
  });

  it('shows the hub’s validation error next to the form', async () => {
    const hub = adminHub();
    hub.handle('saveExportTarget', () => ({ ok: false, error: { code: 'INPUT_INVALID', message: 'privateKeyFile: no such file /etc/pochub/key.pem' } }));
    render(<App client={hub} />);
    fireEvent.click(await screen.findByTestId('target-edit-ehr'));
    fireEvent.click(screen.getByTestId('target-save'));
    await act(async () => {});
    expect(screen.getByTestId('target-error').textContent).toBe('Please check what you entered: privateKeyFile: no such file /etc/pochub/key.pem');
    expect(screen.getByTestId('target-form')).toBeTruthy();
  });

  it('tests a connection and shows the answer', async () => {
    const hub = adminHub();
    hub.handle('testExportTarget', ({ targetId }) =>
      targetId === 'ehr' ? { ok: true, value: { ok: false, message: 'Connection refused by 10.0.0.5:2575' } } : { ok: true, value: { ok: true, message: 'CapabilityStatement FHIR 4.0.1' } },
    );
    render(<App client={hub} />);
    fireEvent.click(await screen.findByTestId('target-test-ehr'));
    await act(async () => {});
    const result = screen.getByTestId('target-test-result');
    expect(hub.callsOf('testExportTarget')).toEqual([{ targetId: 'ehr' }]);
    expect(result.dataset.ok).toBe('false');
    expect(result.textContent).toContain('Connection failed (EHR (HL7)): Connection refused by 10.0.0.5:2575');
    fireEvent.click(screen.getByTestId('target-test-fhir'));
    await act(async () => {});
    expect(result.dataset.ok).toBe('true');
    expect(result.textContent).toContain('Connection OK (FHIR server): CapabilityStatement FHIR 4.0.1');
  });

  it('is for admins to change, biomed to look at and test, and not in the assistant’s nav', async () => {
    const biomed = createFakeHub();
    signInAs(biomed, 'biomed');
    biomed.handle('listExportTargets', () => ({ ok: true, value: [HL7] }));
    render(<App client={biomed} />);
    await screen.findByTestId('target-ehr');
    expect(screen.getByTestId('nav-export-settings')).toBeTruthy();
    expect(screen.getByTestId('target-test-ehr')).toBeTruthy();
    expect(screen.queryByTestId('target-edit-ehr')).toBeNull();
    expect(screen.queryByTestId('target-add-fhir')).toBeNull();
    cleanup();

    const assistant = createFakeHub();
    render(<App client={assistant} />);
    await screen.findByTestId('nav-outbox');
    expect(screen.queryByTestId('nav-export-settings')).toBeNull();
    expect(screen.getByText('Export settings are for administrators and biomedical engineers.')).toBeTruthy();
    expect(assistant.callsOf('listExportTargets')).toEqual([]);
  });
});
