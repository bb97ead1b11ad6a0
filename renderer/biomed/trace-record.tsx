import { useState } from 'react';
import type { Port } from '../../shared/api/ports-model.ts';
import { errorText } from '../format/words.ts';
import { usePageStateStore } from '../state/use-hub.tsx';
import { useDownload } from './download.ts';
import { countText } from './words.ts';

/**
 * Record the port's bytes to a trace file (for a bug report or a new driver's fixture); on
 * stop the file is offered as a download. Patient identifiers are masked unless the person
 * unticks it, as a trace usually leaves the clinic.
 */
export function TraceRecord({ port }: { port: Port }): React.JSX.Element {
  const store = usePageStateStore();
  const [mask, setMask] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [frames, setFrames] = useState<number>();
  const [download, makeDownload] = useDownload();

  const start = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    const result = await store.call('startRecording', { portId: port.id, maskPatientIds: mask });
    setBusy(false);
    if (!result.ok) return setError(errorText(result.error));
    store.applyPort(result.value);
    store.notify(`Recording ${port.path}${mask ? ' with patient identifiers masked' : ''}.`);
  };

  const stop = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    const result = await store.call('stopRecording', { portId: port.id });
    setBusy(false);
    if (!result.ok) return setError(errorText(result.error));
    // The event brings the port's new state; say it stopped now rather than wait for it.
    store.applyPort({ ...port, recording: false });
    setFrames(result.value.frames);
    makeDownload(result.value.fileName, result.value.trace, 'text/plain');
    store.notify(`Recording stopped: ${countText(result.value.frames, 'frame')} in ${result.value.fileName}.`);
  };

  return (
    <div className="trace-record" role="group" aria-label="Record a trace">
      <span className="checkbox">
        <input id="trace-record-mask" type="checkbox" data-testid="trace-record-mask" checked={mask} disabled={port.recording} onChange={(e) => setMask(e.target.checked)} />
        <label htmlFor="trace-record-mask">Mask patient identifiers</label>
      </span>
      <button type="button" className="button" data-testid="trace-record-start" disabled={busy || port.recording} onClick={() => void start()}>
        <span aria-hidden="true">● </span>Record
      </button>
      <button type="button" className="button" data-testid="trace-record-stop" disabled={busy || !port.recording} onClick={() => void stop()}>
        <span aria-hidden="true">■ </span>Stop recording
      </button>
      <span className="trace-recording" aria-live="polite" data-testid="trace-recording">
        {port.recording && 'Recording now…'}
      </span>
      {download && !port.recording && (
        <span className="trace-download">
          <a className="button" href={download.url} download={download.fileName} data-testid="trace-download">
            Download {download.fileName}
          </a>{' '}
          <span data-testid="trace-frames">{countText(frames ?? 0, 'frame')}</span>
        </span>
      )}
      <p className="form-error" aria-live="assertive" data-testid="trace-record-error">
        {error}
      </p>
    </div>
  );
}
