import type { DeviceIdentity } from '../../../shared/reading.ts';
import { isHubError } from '../../../shared/errors.ts';
import { withDeadline, resolveOptions, type Clock, type Driver, type Link } from '../../../drivers/kit/index.ts';
import type { PortSettings } from '../../../shared/api/ports-model.ts';
import type { TcpListener } from '../../transports/index.ts';
import { countingLink, parseHostPort } from './port-links.ts';
import { PortHealth } from './port-health.ts';

export interface PortTestResult {
  ok: boolean;
  message: string;
  identity?: DeviceIdentity;
}

/**
 * "Test connection": on an opened link, ask the assigned driver whether its device answers
 * (probe), then open and identify it, each within the manifest's deadlines, and let go again. No
 * reading is taken and nothing is stored. The answer is one sentence for the biomed screen.
 */
export async function testDevice(
  driver: Driver,
  link: Link,
  opts: { clock: Clock; options: Record<string, unknown>; settings?: PortSettings },
): Promise<PortTestResult> {
  const { manifest } = driver;
  const { clock } = opts;
  const health = new PortHealth();
  health.beginSession(clock.now());
  const counted = countingLink(link, (n) => health.bytes(n, clock.now()));
  const controller = new AbortController();
  const session = driver.createSession({
    link: counted,
    clock,
    signal: controller.signal,
    options: resolveOptions(manifest, opts.options),
    emit: (event) => {
      if (event.type !== 'reading') health.event(event);
    },
  });
  const { probeMs, openMs, identifyMs, closeMs } = manifest.deadlines;
  const noAnswer = (ms: number): PortTestResult => {
    health.endSession({ end: 'failed' }, false);
    const hints = health.hints(manifest, opts.settings, clock.now());
    return { ok: false, message: `No answer within ${formatSeconds(ms)}: ${hints.join(' ')}` };
  };
  // The deadline of the step under way: the one the device missed, if it stays silent.
  let waitedMs = probeMs;
  try {
    const answered = await withDeadline(clock, probeMs, controller.signal, 'probing the device', (s) => session.probe(s));
    if (!answered) return noAnswer(probeMs);
    waitedMs = openMs;
    await withDeadline(clock, openMs, controller.signal, 'opening the device', (s) => session.open(s));
    waitedMs = identifyMs;
    const identity = await withDeadline(clock, identifyMs, controller.signal, 'identifying the device', (s) => session.identify(s));
    const serial = identity.serial ? ` SN ${identity.serial}` : '';
    return { ok: true, message: `${identity.manufacturer} ${identity.model}${serial} answered.`, identity };
  } catch (e) {
    if (isHubError(e) && (e.code === 'DEVICE_NO_RESPONSE' || e.code === 'TRANSPORT_TIMEOUT')) return noAnswer(waitedMs);
    return { ok: false, message: `The device did not answer properly: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    controller.abort();
    await withDeadline(clock, closeMs, new AbortController().signal, 'closing the device', () => session.close()).catch(() => undefined);
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/**
 * "Test" on a listening port: no device can be asked anything until it connects, so check what
 * the hub controls — that the address can be listened on (not in use by another program, an
 * address of this workstation) — and say what to set on the device.
 */
export async function testListening(path: string, listen: (port: number, host: string) => Promise<TcpListener>): Promise<PortTestResult> {
  const address = parseHostPort(path);
  if (!address) return { ok: false, message: `"${path}" is not host:port.` };
  try {
    const listener = await listen(address.port, address.host);
    await listener.close();
  } catch (e) {
    return { ok: false, message: `${path} cannot be listened on: ${e instanceof Error ? e.message : String(e)}` };
  }
  const where = address.host === '0.0.0.0' || address.host === '::' ? "this workstation's address" : address.host;
  return { ok: true, message: `${path} can be listened on. Set the device to send to ${where}, port ${address.port}; it is read when it connects.` };
}
