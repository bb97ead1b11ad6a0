import { useRef, useState } from 'react';
import { LiveDevices } from '../live/live-devices.tsx';
import { PatientSelect, type PatientSelectHandle } from '../patient/patient-select.tsx';
import { TodayPanel } from '../patient/today-panel.tsx';
import { useHub } from '../state/use-hub.tsx';
import { ManualEntry } from './manual-entry.tsx';
import { MemoryImport } from './memory-import.tsx';
import { ReviewList, type ReviewListHandle } from './review-list.tsx';

/** The assistant's main screen: patient, live devices, pending readings, manual entry. */
export function ReviewScreen(): React.JSX.Element {
  const pending = useHub((s) => s.pending);
  const patient = useHub((s) => s.state?.patient);
  const scan = useRef<PatientSelectHandle>(null);
  const list = useRef<ReviewListHandle>(null);
  const [manual, setManual] = useState<{ replaces: string | undefined; signal: number }>({ replaces: undefined, signal: 0 });

  return (
    <div className="review-layout">
      <div className="review-side">
        {/* Today's patients (when the hub has a list): picking one selects the patient and the visit. */}
        <TodayPanel onSelected={() => list.current?.focusCurrent()} />
        <PatientSelect
          ref={scan}
          // Scan the patient, then straight on to confirming: focus goes to the first reading.
          onSelected={() => list.current?.focusCurrent() || scan.current?.focus()}
        />
        {/* Meter downloads wait in the side column (it scrolls on its own): the live values and the
            pending list keep the main column, both on screen at 1366×768. */}
        <MemoryImport />
        <ManualEntry
          replaces={manual.replaces}
          focusSignal={manual.signal}
          onClearReplaces={() => setManual((m) => ({ replaces: undefined, signal: m.signal }))}
        />
      </div>
      <section className="review-main" aria-labelledby="pending-title">
        {/* Live values right above the pending list: at 1366×768 both share the screen. */}
        <LiveDevices onCaptured={(id) => list.current?.reveal(id)} />
        <ReviewList
          ref={list}
          heading={
            <h2 id="pending-title" className="panel-title">
              Pending readings <span data-testid="pending-count">({pending.length})</span>
            </h2>
          }
          items={pending}
          patient={patient}
          onStartScan={(key) => scan.current?.startScan(key)}
          onEnterByHand={(id) => setManual((m) => ({ replaces: id, signal: m.signal + 1 }))}
        />
        <p className="keys-help" id="review-keys" title="Keys on a focused reading">
          <kbd>↑</kbd>/<kbd>↓</kbd> or <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> or <kbd>c</kbd> confirm · <kbd>Shift</kbd>+<kbd>C</kbd> confirm the device's batch ·{' '}
          <kbd>r</kbd> reject · <kbd>a</kbd> assign · a digit starts a patient scan
        </p>
      </section>
    </div>
  );
}
