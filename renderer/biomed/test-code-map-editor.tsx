import { useState } from 'react';
import { MAPPABLE_CODES, parseTestCodeMapEntry, testCodeMapEntries } from '../../shared/test-code-map.ts';

/** One row as typed: kept as text while being edited; the map's text is made from the rows. */
interface Row {
  code: string;
  loinc: string;
  unit: string;
}

const ENTRY = /^([^=\s]*)\s*=\s*(\S*)(?:\s+(\S+))?$/;

/** The rows of a map's text; an entry that does not parse keeps its text in the code column. */
export function rowsOf(text: string): Row[] {
  return testCodeMapEntries(text).map((entry) => {
    const m = ENTRY.exec(entry);
    return m ? { code: m[1] ?? '', loinc: m[2] ?? '', unit: m[3] ?? '' } : { code: entry, loinc: '', unit: '' };
  });
}

/** The map's text of the rows (entirely empty rows left out), as the hub stores it. */
export function textOf(rows: readonly Row[]): string {
  return rows
    .filter((r) => r.code.trim() !== '' || r.loinc.trim() !== '' || r.unit.trim() !== '')
    .map((r) => `${r.code.trim()}=${r.loinc.trim()}${r.unit.trim() ? ` ${r.unit.trim()}` : ''}`)
    .join('; ');
}

interface TestCodeMapEditorProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onSet: (text: string) => void;
  readonly hint: React.JSX.Element;
}

/**
 * The test-code map of an ASTM analyzer's port as a table (shared/test-code-map.ts): the
 * analyzer's code, the catalog (LOINC) code it is, and the unit of its numbers. Each row says at
 * once why it would be refused (a code the catalog lacks, a unit the code does not take); the hub
 * checks the whole map again when the port is saved and refuses it with the same words.
 */
export function TestCodeMapEditor({ id, label, value, onSet, hint }: TestCodeMapEditorProps): React.JSX.Element {
  const [rows, setRows] = useState<Row[]>(() => rowsOf(value));
  const update = (next: Row[]): void => {
    setRows(next);
    onSet(textOf(next));
  };
  const change = (i: number, field: keyof Row, text: string): void => update(rows.map((r, k) => (k === i ? { ...r, [field]: text } : r)));
  const listId = `${id}-codes`;
  return (
    <div className="serial-field" data-testid={id}>
      <span id={`${id}-label`}>{label}</span>
      <datalist id={listId}>
        {MAPPABLE_CODES.map((c) => (
          <option key={c.loinc} value={c.loinc}>
            {c.display}
          </option>
        ))}
      </datalist>
      <table className="code-map" aria-labelledby={`${id}-label`}>
        <thead>
          <tr>
            <th scope="col">Analyzer code</th>
            <th scope="col">Catalog code (LOINC)</th>
            <th scope="col">Unit</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => {
            const entry = textOf([row]);
            const parsed = entry === '' ? undefined : parseTestCodeMapEntry(entry);
            const problem = parsed && !parsed.ok ? parsed.problem : undefined;
            const known = MAPPABLE_CODES.find((c) => c.loinc === row.loinc.trim());
            return (
              <tr key={i} data-testid={`${id}-row-${i}`}>
                <td>
                  <input aria-label={`Analyzer code, row ${i + 1}`} data-testid={`${id}-code-${i}`} value={row.code} onChange={(e) => change(i, 'code', e.target.value)} />
                </td>
                <td>
                  <input aria-label={`Catalog code, row ${i + 1}`} data-testid={`${id}-loinc-${i}`} list={listId} value={row.loinc} onChange={(e) => change(i, 'loinc', e.target.value)} />
                  {known && <span className="form-hint"> {known.display}</span>}
                  {problem && (
                    <p className="form-error" data-testid={`${id}-row-problem-${i}`}>
                      {problem}
                    </p>
                  )}
                </td>
                <td>
                  <input aria-label={`Unit, row ${i + 1}`} data-testid={`${id}-unit-${i}`} value={row.unit} placeholder={known?.units.length === 1 ? known.units[0] : ''} onChange={(e) => change(i, 'unit', e.target.value)} />
                </td>
                <td>
                  <button type="button" className="secondary" data-testid={`${id}-remove-${i}`} onClick={() => update(rows.filter((_, k) => k !== i))}>
                    Remove
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button type="button" className="secondary" data-testid={`${id}-add`} onClick={() => setRows([...rows, { code: '', loinc: '', unit: '' }])}>
        Add a test code
      </button>
      {hint}
    </div>
  );
}
