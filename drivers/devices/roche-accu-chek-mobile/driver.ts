import { HubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { type Driver, type DriverContext, type DriverSession } from '../../kit/index.ts';
import { decodeRow } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { manifest } from './manifest.ts';
import { normalizeMobile } from './normalize.ts';
import { MAX_REPORT_BYTES, parseReport, type Report } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

const MODEL = 'Accu-Chek Mobile';

/**
 * Collect the whole report: the file link delivers the file's bytes and then ends
 * (main/transports/folder.ts). Resolves with the bytes once the link ends.
 */
function readWholeFile(ctx: DriverContext, signal: AbortSignal): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const finish = (error?: HubError): void => {
      offData();
      offClose();
      signal.removeEventListener('abort', onAbort);
      if (error) return reject(error);
      const all = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) all.set(c, (at += c.length) - c.length);
      resolve(all);
    };
    const onAbort = (): void => finish(new HubError('CANCELLED', 'the report read was cancelled'));
    const offData = ctx.link.onData((chunk) => {
      size += chunk.length;
      if (size > MAX_REPORT_BYTES) return finish(new HubError('PROTOCOL_UNEXPECTED', `the report file is larger than ${MAX_REPORT_BYTES} bytes: not an Accu-Chek report; nothing was imported`));
      chunks.push(chunk);
    });
    const offClose = ctx.link.onClose((error) => finish(error));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A download of one Accu-Chek Mobile report (PROTOCOL.md): the whole file is read and checked
 * before any reading is made, so a partial or foreign file imports nothing. No meter clock.
 */
export function createSession(ctx: DriverContext): DriverSession {
  let report: Report | undefined;
  let device: DeviceIdentity = { manufacturer: 'Roche', model: MODEL };
  const load = async (signal: AbortSignal): Promise<Report> => {
    if (report) return report;
    const bytes = await readWholeFile(ctx, signal);
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    try {
      return (report = parseReport(text));
    } catch (e) {
      // Said as a problem too, so the session's problem count shows it beside the error.
      if (e instanceof HubError) ctx.emit({ type: 'problem', code: e.code, message: e.message });
      throw e;
    }
  };

  return {
    async probe(signal) {
      try {
        await load(signal);
        return true;
      } catch {
        return false;
      }
    },
    async open(signal) {
      await load(signal);
    },
    async identify(signal) {
      const r = await load(signal);
      device = { manufacturer: 'Roche', model: MODEL, serial: r.serial };
      return { ...device };
    },
    async acquire(signal) {
      const r = await load(signal);
      ctx.emit({ type: 'progress', done: 0, total: r.rows.length });
      // Decode every row first: one bad row refuses the whole report (nothing half-imported).
      const results = r.rows.map((row) => ({ row, decoded: decodeRow(row) }));
      const bad = results.find((x) => !x.decoded.ok);
      if (bad && !bad.decoded.ok) throw new HubError('PROTOCOL_UNEXPECTED', `the Accu-Chek report has a row that is not a result (${bad.decoded.reason}); nothing was imported`);
      let done = 0;
      for (const { row, decoded } of results) {
        done++;
        if (!decoded.ok || decoded.result === undefined) continue; // empty Result: not a glucose row
        const n = normalizeMobile(decoded.result);
        ctx.emit({
          type: 'reading',
          draft: { device: { ...device }, kind: n.kind, deviceTime: decoded.result.time, timeBasis: 'stored', observations: n.observations, flags: n.flags, raw: [new TextEncoder().encode(row.text)] },
        });
        ctx.emit({ type: 'progress', done, total: r.rows.length });
      }
    },
    async close() {
      report = undefined;
    },
  };
}

/** Roche Accu-Chek Mobile "Reports" CSV over a file link (PROTOCOL.md). */
export const rocheAccuChekMobileDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
