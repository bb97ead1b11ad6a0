import { HubError } from '../../../shared/errors.ts';
import type { TraceService } from '../biomed-interfaces.ts';

/**
 * Stand-ins used until (or where) the real trace hub and simulator host are not wired: the port
 * manager works without them, and the console says plainly what is not available.
 */
export function noTraceService(): TraceService {
  const unavailable = (): never => {
    throw new HubError('CONFLICT', 'The protocol trace is not available in this build of POC Hub.');
  };
  return {
    tap: (_portId, _driverId, link) => link,
    isRecording: () => false,
    entries: () => [],
    startRecording: unavailable,
    stopRecording: unavailable,
    replay: () => Promise.reject(new HubError('CONFLICT', 'Trace replay is not available in this build of POC Hub.')),
    onEntries: () => () => undefined,
  };
}
