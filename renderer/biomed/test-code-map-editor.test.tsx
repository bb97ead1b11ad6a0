// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DriverOptionSpec } from '../../shared/driver-options.ts';
import { DriverOptions, type OptionValues } from './driver-options.tsx';
import { rowsOf, textOf } from './test-code-map-editor.tsx';

afterEach(cleanup);

/** The astm-urine driver's map option as the API describes it. */
const OPTION: DriverOptionSpec = { key: 'testCodes', label: 'Test codes', description: "This analyzer's own test codes", type: 'string', default: '', format: 'test-code-map' };

function Harness({ initial, seen }: { initial: OptionValues; seen: OptionValues[] }): React.JSX.Element {
  const [values, setValues] = useState(initial);
  return (
    <DriverOptions
      options={[OPTION]}
      values={values}
      onChange={(next) => {
        seen.push(next);
        setValues(next);
      }}
    />
  );
}

const id = 'driver-option-testCodes';

describe('the test-code map editor (Devices screen)', () => {
  it('shows the saved map as rows, edits an entry and gives the map text back', () => {
    const seen: OptionValues[] = [];
    render(<Harness initial={{ testCodes: 'GLU=5792-7 mg/dL; LEU=5799-2' }} seen={seen} />);
    expect((screen.getByTestId(`${id}-code-0`) as HTMLInputElement).value).toBe('GLU');
    expect((screen.getByTestId(`${id}-loinc-1`) as HTMLInputElement).value).toBe('5799-2');
    expect(screen.getByTestId(`${id}-row-0`).textContent).toContain('Glucose [Mass/volume] in Urine by Test strip');

    fireEvent.change(screen.getByTestId(`${id}-code-1`), { target: { value: 'WBC' } });
    expect(seen.at(-1)).toEqual({ testCodes: 'GLU=5792-7 mg/dL; WBC=5799-2' });

    fireEvent.click(screen.getByTestId(`${id}-add`));
    fireEvent.change(screen.getByTestId(`${id}-code-2`), { target: { value: 'ASC' } });
    fireEvent.change(screen.getByTestId(`${id}-loinc-2`), { target: { value: '5792-7' } });
    fireEvent.change(screen.getByTestId(`${id}-unit-2`), { target: { value: 'mg/dL' } });
    expect(seen.at(-1)).toEqual({ testCodes: 'GLU=5792-7 mg/dL; WBC=5799-2; ASC=5792-7 mg/dL' });
    expect(screen.queryByTestId(`${id}-problem`)).toBeNull();

    fireEvent.click(screen.getByTestId(`${id}-remove-0`));
    expect(seen.at(-1)).toEqual({ testCodes: 'WBC=5799-2; ASC=5792-7 mg/dL' });
  });

  it('says at once that a code the catalog lacks, or a unit the code does not take, would be refused', () => {
    render(<Harness initial={{ testCodes: 'GLU=5792-7 mg/dL' }} seen={[]} />);
    fireEvent.change(screen.getByTestId(`${id}-loinc-0`), { target: { value: '99999-9' } });
    expect(screen.getByTestId(`${id}-row-problem-0`).textContent).toBe('GLU: 99999-9 is not a code in the catalog (the map may name the laboratory codes of shared/catalog.ts only)');
    expect(screen.getByTestId(`${id}-problem`).textContent).toMatch(/option testCodes: test-code map refused: GLU: 99999-9 is not a code in the catalog/);

    fireEvent.change(screen.getByTestId(`${id}-loinc-0`), { target: { value: '5792-7' } });
    fireEvent.change(screen.getByTestId(`${id}-unit-0`), { target: { value: 'mmol/L' } });
    expect(screen.getByTestId(`${id}-row-problem-0`).textContent).toMatch(/mmol\/L is not a unit of 5792-7/);

    // Clearing the map is going back to the default (no entries): nothing refused, nothing kept.
    fireEvent.click(screen.getByTestId(`${id}-remove-0`));
    expect(screen.queryByTestId(`${id}-problem`)).toBeNull();
  });

  it('rows and text convert both ways; an entry that does not parse is kept, not lost', () => {
    expect(rowsOf('GLU=5792-7 mg/dL;\nPH=5803-2 [pH]; junk')).toEqual([
      { code: 'GLU', loinc: '5792-7', unit: 'mg/dL' },
      { code: 'PH', loinc: '5803-2', unit: '[pH]' },
      { code: 'junk', loinc: '', unit: '' },
    ]);
    expect(textOf(rowsOf('GLU=5792-7 mg/dL; PH=5803-2 [pH]'))).toBe('GLU=5792-7 mg/dL; PH=5803-2 [pH]');
  });
});
