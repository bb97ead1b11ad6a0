// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Header } from '../shell/header.tsx';
import { HubProvider } from '../state/use-hub.tsx';
import { JANE, createFakeHub } from '../testing/fake-hub.ts';
import { PatientBanner } from './patient-banner.tsx';

afterEach(cleanup);

describe('PatientBanner', () => {
  it('shows both identifiers: MRN, name and date of birth', () => {
    render(<PatientBanner patient={JANE} />);
    const banner = screen.getByRole('region', { name: 'Patient' });
    expect(banner.dataset.state).toBe('selected');
    expect(within(banner).getByTestId('patient-mrn').textContent).toBe('MRN-1001');
    expect(within(banner).getByTestId('patient-name').textContent).toBe('Jane Roe');
    // Month in letters: 03/14 vs 14/03 cannot be misread.
    expect(within(banner).getByTestId('patient-dob').textContent).toMatch(/^14 Mar 1980/);
    expect(within(banner).queryByText('No patient selected')).toBeNull();
  });

  it('shows the encounter selected with the patient, and none without one', () => {
    const encounter = { visitId: 'ehr:v1', visitNumber: 'V-9', room: '4', start: '2026-12-07T09:30:00Z' };
    render(<PatientBanner patient={{ ...JANE, encounter }} />);
    expect(screen.getByTestId('patient-encounter').textContent).toMatch(/^Visit\sV-9 · Room\s4 · \d\d:30$/);
    expect(screen.getByTestId('patient-encounter').dataset.visit).toBe('ehr:v1');
    cleanup();
    render(<PatientBanner patient={JANE} />);
    expect(screen.queryByTestId('patient-encounter')).toBeNull();
  });

  it('shows the MRN with the date of birth alone when there is no name', () => {
    render(<PatientBanner patient={{ mrn: '555', birthDate: '2001-12-31' }} />);
    expect(screen.getByTestId('patient-mrn').textContent).toBe('555');
    expect(screen.getByTestId('patient-dob').textContent).toMatch(/^31 Dec 2001/);
    expect(screen.queryByTestId('patient-name')).toBeNull();
  });

  it('gives the age in years, in months under two, and says when the patient is local and not verified', () => {
    const today = new Date(2026, 11, 7);
    render(<PatientBanner patient={{ mrn: 'L-1', name: 'Baby Doe', birthDate: '2025-02-03', verified: false }} today={today} />);
    expect(screen.getByTestId('patient-age').textContent).toBe(' (22 mo)');
    expect(screen.getByTestId('patient-local').textContent).toBe('Local — not verified against the EHR');
    cleanup();
    render(<PatientBanner patient={{ ...JANE, verified: true }} today={today} />);
    expect(screen.getByTestId('patient-age').textContent).toBe(' (46 y)');
    expect(screen.queryByTestId('patient-local')).toBeNull();
  });

  it('says how the patient was checked against the EHR: verified with the source and time, not in the EHR, or unreachable', () => {
    const at = new Date(2026, 11, 7, 9, 5).toISOString();
    render(<PatientBanner patient={{ ...JANE, verified: true, verification: { state: 'verified', sourceName: 'Clinic EHR', at } }} />);
    expect(screen.getByTestId('patient-verified').textContent).toBe('Verified with Clinic EHR at 09:05');
    expect(screen.queryByTestId('patient-local')).toBeNull();
    cleanup();
    render(<PatientBanner patient={{ ...JANE, verified: false, verification: { state: 'unreachable', reason: 'Connection refused' } }} />);
    expect(screen.getByTestId('patient-local').textContent).toBe('Not verified — EHR unreachable');
    expect(screen.getByTestId('patient-local').getAttribute('title')).toContain('Connection refused');
    cleanup();
    render(<PatientBanner patient={{ ...JANE, verified: false, verification: { state: 'not-in-ehr', reason: 'not in Clinic EHR' } }} />);
    expect(screen.getByTestId('patient-local').textContent).toBe('Not in the EHR — local patient');
  });

  it('gives a long MRN and name whole in the title (the text is cut with an ellipsis, not the value)', () => {
    const mrn = 'M'.repeat(64);
    render(<PatientBanner patient={{ mrn, name: 'N'.repeat(200) }} />);
    expect(screen.getByTestId('patient-mrn').getAttribute('title')).toBe(mrn);
    expect(screen.getByTestId('patient-mrn').textContent).toBe(mrn);
    expect(screen.getByTestId('patient-name').getAttribute('title')).toBe('N'.repeat(200));
  });

  it('says plainly when no patient is selected', () => {
    render(<PatientBanner patient={undefined} />);
    const banner = screen.getByRole('region', { name: 'Patient' });
    expect(banner.dataset.state).toBe('none');
    expect(within(banner).getByText('No patient selected')).toBeTruthy();
    expect(within(banner).queryByTestId('patient-mrn')).toBeNull();
  });

  it('is in the header while signed in, and follows the hub when the patient changes', async () => {
    const hub = createFakeHub({ patient: JANE });
    render(
      <HubProvider client={hub}>
        <Header route="review" />
      </HubProvider>,
    );
    expect((await screen.findByTestId('patient-mrn')).textContent).toBe('MRN-1001');
    act(() => hub.emit('state', { devices: [], demo: false, workstation: 'ROOM-3', operator: { id: 'op-1', name: 'Alex Assistant', badgeId: 'B-1', role: 'assistant' } }));
    expect(screen.getByTestId('patient-banner').dataset.state).toBe('none');
    expect(screen.getByText('No patient selected')).toBeTruthy();
  });

  it('asks what to do with pending readings when finishing with a patient', async () => {
    const hub = createFakeHub({ patient: JANE });
    hub.handle('clearPatient', (input) =>
      input.pending ? { ok: true, value: { ok: true } } : { ok: false, error: { code: 'PENDING_DECISION_REQUIRED', message: 'pending readings', details: { count: 2 } } },
    );
    render(
      <HubProvider client={hub}>
        <Header route="review" />
      </HubProvider>,
    );
    fireEvent.click(await screen.findByTestId('patient-clear'));
    const dialog = await screen.findByTestId('pending-dialog');
    expect(dialog.textContent).toContain('2 readings');
    fireEvent.click(within(dialog).getByTestId('pending-unassign'));
    await act(async () => {});
    expect(hub.callsOf('clearPatient')).toEqual([{}, { pending: 'unassign' }]);
    expect(screen.queryByTestId('pending-dialog')).toBeNull();
  });
});
