// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { HubProvider } from '../state/use-hub.tsx';
import { JANE, createFakeHub, type FakeHub } from '../testing/fake-hub.ts';
import { PatientSelect, normalizeBirthDate } from './patient-select.tsx';

afterEach(cleanup);

async function show(hub: FakeHub): Promise<void> {
  render(
    <HubProvider client={hub}>
      <PatientSelect />
    </HubProvider>,
  );
  await act(async () => {});
}

const type = (testId: string, value: string): void => {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
};

describe('PatientSelect', () => {
  it("moves from the scanned MRN to the date of birth on the scanner's Enter, then selects", async () => {
    const hub = createFakeHub();
    hub.handle('selectPatient', (input) => ({ ok: true, value: { mrn: input.mrn, ...(input.birthDate ? { birthDate: input.birthDate } : {}) } }));
    await show(hub);
    const mrn = screen.getByTestId('patient-mrn-input');
    expect(document.activeElement).toBe(mrn);
    type('patient-mrn-input', 'MRN-1001');
    fireEvent.keyDown(mrn, { key: 'Enter' });
    expect(document.activeElement).toBe(screen.getByTestId('patient-dob-input'));
    expect(hub.callsOf('selectPatient')).toEqual([]);
    type('patient-dob-input', '19800314');
    fireEvent.click(screen.getByTestId('patient-select'));
    await act(async () => {});
    expect(hub.callsOf('selectPatient')).toEqual([{ mrn: 'MRN-1001', birthDate: '1980-03-14' }]);
  });

  it('needs a second identifier before asking the hub', async () => {
    const hub = createFakeHub();
    await show(hub);
    type('patient-mrn-input', 'MRN-1001');
    fireEvent.click(screen.getByTestId('patient-select'));
    expect(screen.getByTestId('patient-error').textContent).toMatch(/two identifiers/);
    expect(hub.callsOf('selectPatient')).toEqual([]);
  });

  it('shows a CONFLICT prominently in the hub’s words', async () => {
    const hub = createFakeHub();
    hub.handle('selectPatient', () => ({ ok: false, error: { code: 'CONFLICT', message: 'MRN-1001 is on file with another date of birth.' } }));
    await show(hub);
    type('patient-mrn-input', 'MRN-1001');
    type('patient-dob-input', '1980-03-15');
    fireEvent.click(screen.getByTestId('patient-select'));
    await act(async () => {});
    const error = screen.getByTestId('patient-error');
    expect(error.className).toContain('form-error--conflict');
    expect(error.textContent).toContain('Identifiers do not match: MRN-1001 is on file with another date of birth.');
  });

  it("asks about the previous patient's pending readings and sends the answer", async () => {
    const hub = createFakeHub({ patient: JANE });
    hub.handle('selectPatient', (input) =>
      input.pending === undefined
        ? { ok: false, error: { code: 'PENDING_DECISION_REQUIRED', message: 'pending', details: { count: 1 } } }
        : { ok: true, value: { mrn: input.mrn, name: input.name ?? 'x' } },
    );
    await show(hub);
    type('patient-mrn-input', 'MRN-2002');
    type('patient-name-input', 'John Doe');
    fireEvent.click(screen.getByTestId('patient-select'));
    const dialog = await screen.findByTestId('pending-dialog');
    expect(dialog.getAttribute('role')).toBe('alertdialog');
    expect(dialog.textContent).toContain('MRN-1001 · Jane Roe');
    expect(dialog.textContent).toContain('1 reading waiting');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep them with Jane Roe' }));
    await act(async () => {});
    expect(hub.callsOf('selectPatient')).toEqual([
      { mrn: 'MRN-2002', name: 'John Doe' },
      { mrn: 'MRN-2002', name: 'John Doe', pending: 'keep-with-previous' },
    ]);
    expect(screen.queryByTestId('pending-dialog')).toBeNull();
  });

  it('refuses a date of birth in the future or over 130 years ago before asking the hub', async () => {
    const hub = createFakeHub();
    await show(hub);
    type('patient-mrn-input', 'MRN-1001');
    type('patient-dob-input', '2099-01-01');
    fireEvent.click(screen.getByTestId('patient-select'));
    expect(screen.getByTestId('patient-error').textContent).toBe('The date of birth 2099-01-01 is in the future: check the wristband.');
    type('patient-dob-input', '1850-01-01');
    fireEvent.click(screen.getByTestId('patient-select'));
    expect(screen.getByTestId('patient-error').textContent).toMatch(/more than 130 years ago/);
    expect(hub.callsOf('selectPatient')).toEqual([]);
  });

  it('states the MRN and name limits and refuses more with a message, never cutting the value', async () => {
    const hub = createFakeHub();
    await show(hub);
    expect(screen.getByTestId('patient-mrn-limit').textContent).toBe('At most 64 characters.');
    expect(screen.getByTestId('patient-name-limit').textContent).toBe('At most 200 characters.');
    const long = 'M'.repeat(70);
    type('patient-mrn-input', long);
    expect((screen.getByTestId('patient-mrn-input') as HTMLInputElement).value).toBe(long);
    expect(screen.getByTestId('patient-mrn-limit').textContent).toBe('MRN: at most 64 characters. Now 70.');
    type('patient-dob-input', '1980-03-14');
    fireEvent.click(screen.getByTestId('patient-select'));
    expect(screen.getByTestId('patient-error').textContent).toBe('MRN: at most 64 characters.');
    expect(hub.callsOf('selectPatient')).toEqual([]);
  });

  it('an MRN not on file offers the explicit new-local-patient step, which needs all three identifiers', async () => {
    const hub = createFakeHub();
    hub.handle('selectPatient', (input) =>
      input.createLocal
        ? { ok: true, value: { mrn: input.mrn, name: input.name ?? '', birthDate: input.birthDate ?? '', verified: false } }
        : { ok: false, error: { code: 'NOT_FOUND', message: 'No patient with MRN X-9 on file on this workstation. Check the wristband, or add a new local patient.', details: { unknown: true } } },
    );
    await show(hub);
    type('patient-mrn-input', 'X-9');
    type('patient-dob-input', '1990-01-01');
    fireEvent.click(screen.getByTestId('patient-select'));
    await act(async () => {});
    expect(screen.getByTestId('patient-error').textContent).toMatch(/^No patient with MRN X-9 on file/);
    fireEvent.click(screen.getByTestId('patient-create-local-start'));
    expect(screen.getByTestId('patient-select-panel').dataset.mode).toBe('create-local');
    expect(screen.getByTestId('patient-create-local-note').textContent).toContain('not verified against the EHR');
    fireEvent.click(screen.getByTestId('patient-create-local'));
    expect(screen.getByTestId('patient-error').textContent).toBe('A new local patient needs the MRN, the date of birth and the name.');
    type('patient-name-input', 'Max Mustermann');
    fireEvent.click(screen.getByTestId('patient-create-local'));
    await act(async () => {});
    expect(hub.callsOf('selectPatient')).toEqual([
      { mrn: 'X-9', birthDate: '1990-01-01' },
      { mrn: 'X-9', birthDate: '1990-01-01', name: 'Max Mustermann', createLocal: true },
    ]);
    expect(screen.getByTestId('patient-select-panel').dataset.mode).toBe('select');
  });

  it('a name for a patient on file without one offers "Add name to this patient"', async () => {
    const hub = createFakeHub();
    hub.handle('selectPatient', (input) =>
      input.addName
        ? { ok: true, value: { mrn: input.mrn, name: input.name ?? '', birthDate: input.birthDate ?? '' } }
        : { ok: false, error: { code: 'CONFLICT', message: 'MRN D-1 has no name on file: add it with "Add name to this patient".', details: { nameMissing: true } } },
    );
    await show(hub);
    type('patient-mrn-input', 'D-1');
    type('patient-dob-input', '1950-05-05');
    type('patient-name-input', 'Rosa Ortiz');
    fireEvent.click(screen.getByTestId('patient-select'));
    await act(async () => {});
    expect(screen.getByTestId('patient-error').textContent).toMatch(/has no name on file/);
    fireEvent.click(screen.getByTestId('patient-add-name'));
    await act(async () => {});
    expect(hub.callsOf('selectPatient')).toEqual([
      { mrn: 'D-1', birthDate: '1950-05-05', name: 'Rosa Ortiz' },
      { mrn: 'D-1', birthDate: '1950-05-05', name: 'Rosa Ortiz', addName: true },
    ]);
  });

  it('reads dates of birth as YYYY-MM-DD or YYYYMMDD, and only real dates', () => {
    expect(normalizeBirthDate('1980-03-14')).toBe('1980-03-14');
    expect(normalizeBirthDate(' 19800314 ')).toBe('1980-03-14');
    expect(normalizeBirthDate('1980-02-30')).toBeUndefined();
    expect(normalizeBirthDate('14/03/1980')).toBeUndefined();
  });
});
