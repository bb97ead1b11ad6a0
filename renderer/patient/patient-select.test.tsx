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

  it('reads dates of birth as YYYY-MM-DD or YYYYMMDD, and only real dates', () => {
    expect(normalizeBirthDate('1980-03-14')).toBe('1980-03-14');
    expect(normalizeBirthDate(' 19800314 ')).toBe('1980-03-14');
    expect(normalizeBirthDate('1980-02-30')).toBeUndefined();
    expect(normalizeBirthDate('14/03/1980')).toBeUndefined();
  });
});
