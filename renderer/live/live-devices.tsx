import { useState } from 'react';
import type { DeviceStatus } from '../../shared/api/model.ts';
import { ConvertedNote } from '../components/converted-note.tsx';
import { flattenObservations, obsParts, observationName } from '../format/observations.ts';
import { describeFlag, formatInstant } from '../format/words.ts';
import { useHub, usePageStateStore } from '../state/use-hub.tsx';
import { captureNotice } from './capture-words.ts';
import { DeviceCommands } from './device-commands.tsx';

interface LiveDevicesProps {
  /** A pending reading Capture stored (or found again): the review list shows and focuses it. */
  readonly onCaptured?: (readingId: string) => void;
}

/** Continuous devices (pulse oximeters, monitors): their live values and a big Capture button. */
export function LiveDevices({ onCaptured }: LiveDevicesProps = {}): React.JSX.Element | null {
  const devices = useHub((s) => s.state?.devices);
  const continuous = (devices ?? []).filter((d) => d.kind === 'continuous');
  if (continuous.length === 0) return null;
  return (
    <section className="panel live-panel" aria-labelledby="live-title">
      <h2 id="live-title" className="panel-title">
        Live devices
      </h2>
      <div className="live-grid">
        {continuous.map((d) => (
          <LiveCard key={d.key} device={d} onCaptured={onCaptured} />
        ))}
      </div>
    </section>
  );
}

function LiveCard({ device, onCaptured }: { device: DeviceStatus; onCaptured: ((readingId: string) => void) | undefined }): React.JSX.Element {
  const store = usePageStateStore();
  const live = useHub((s) => s.live[device.key]) ?? device.live;
  const [busy, setBusy] = useState(false);
  const values = live ? flattenObservations(live.observations) : [];
  const flags = (live?.flags ?? []).map((f) => describeFlag(f));

  const capture = async (): Promise<void> => {
    setBusy(true);
    const result = await store.call('capture', { deviceKey: device.key });
    setBusy(false);
    if (!result.ok) return store.notifyError(result.error);
    const notice = captureNotice(device.label, result.value);
    store.notify(notice.text, notice.tone);
    const reading = result.value.reading;
    if (reading?.state === 'pending') {
      // The answer can come before the reading's own event: put it in the list now, then show it.
      store.applyItems([reading]);
      onCaptured?.(reading.id);
    }
  };

  return (
    <article className={`live-card${live?.valid ? '' : ' live-card--invalid'}`} aria-label={device.label} data-testid={`live-${device.key}`}>
      <h3 className="live-title">
        <span className="live-label" title={device.label}>{device.label}</span> <span className={`conn conn--${device.connection}`}>{device.connection}</span>
      </h3>
      <div className="live-values" aria-live="off">
        {values.length === 0 && <p className="live-empty">No values yet</p>}
        {values.map((obs, i) => {
          const v = obsParts(obs);
          return (
            <div key={i} className={`live-value${obs.value?.kind === 'unmapped' ? ' live-value--unmapped' : ''}`}>
              <span className="obs-name">{observationName(obs)}</span>
              <span className="live-number">{v.value}</span>
              <span className="obs-unit">{v.unit}</span>
              <ConvertedNote text={v.converted} />
            </div>
          );
        })}
      </div>
      <p className="live-status">
        {live ? (live.valid ? `Valid · ${formatInstant(live.at, true)}` : 'Not valid now (sensor off or signal lost)') : 'Waiting for data'}
      </p>
      {device.qcLock && (
        <p className="qc-lock" role="status" data-testid={`qc-lock-${device.key}`}>
          QC lock: {device.qcLock.message}
        </p>
      )}
      <ul className="flags" aria-label="Flags">
        {flags.map((f, i) => (
          <li key={i} className={`flag flag--${f.tone}`}>
            {f.text}
          </li>
        ))}
      </ul>
      {device.commands && device.commands.length > 0 && <DeviceCommands device={device} commands={device.commands} />}
      <button
        type="button"
        className="button button--primary button--big"
        data-testid={`capture-${device.key}`}
        aria-label={`Capture ${device.label}`}
        disabled={busy}
        onClick={() => void capture()}
      >
        Capture
      </button>
    </article>
  );
}
