import { CancelledError, HubError } from '../../../shared/errors.ts';
import { ASTM, type DriverContext, fromLatin1, sleep } from '../../kit/index.ts';
import { READ_TIMEOUT_MS, type Conversation } from './conversation.ts';
import type { ContourHeader } from './decode.ts';

/**
 * Setting the meter clock in "command mode" (PROTOCOL.md §6, [source]: Tidepool only):
 * ACK (no answer awaited); EOT (not on Next One / Plus One / Plus Blue / 7900); NAK until the
 * meter answers EOT; ENQ → ACK; `W|` `D|` `YYMMDD|CR`, then `W|` `T|` `HHmm|CR`, each → ACK.
 */

/** PROTOCOL.md §6: NAK is sent up to 6 times, 2 s apart, until the meter answers EOT. */
export const NAK_TRIES = 6;
const NAK_RETRY_GAP_MS = 2_000;

/** PROTOCOL.md §6: product numbers that must not be sent the EOT step (Next One / Plus One, 7900, Plus Blue). */
const NO_EOT_PRODUCTS: readonly string[] = ['7800', '7900', '7950'];

/** Product numbers of the Contour Next Link family, which a paired pump may own the clock of. */
const NEXT_LINK_PRODUCTS: readonly string[] = ['6200', '6210', '6300'];

const pad = (n: number): string => String(n).padStart(2, '0');

/** `YYMMDD|` + CR and `HHmm|` + CR for a workstation-local instant (Tidepool's formats). */
export function clockPayloads(epochMs: number): { date: string; time: string } {
  const t = new Date(epochMs);
  return {
    date: `${pad(t.getFullYear() % 100)}${pad(t.getMonth() + 1)}${pad(t.getDate())}|\r`,
    time: `${pad(t.getHours())}${pad(t.getMinutes())}|\r`,
  };
}

/**
 * Send one payload and collect the control bytes of the meter's answer (one transfer), or
 * undefined when it stays silent for a read timeout.
 */
async function exchange(transfer: Conversation, ctx: DriverContext, payload: Uint8Array, signal: AbortSignal): Promise<number[] | undefined> {
  transfer.reader.takeQueued(); // leftovers of the data transfer answer nothing we ask now
  await transfer.write(payload);
  const controls: number[] = [];
  for (;;) {
    const read = await transfer.reader.next(signal, ctx.clock, READ_TIMEOUT_MS);
    if (read === 'aborted') throw new CancelledError('setting the meter clock was cancelled');
    if (read === 'closed') throw transfer.reader.closedError('while its clock was being set');
    if (read === 'timeout') return controls.length > 0 ? controls : undefined;
    for (const token of read.tokens) if (token.type === 'control') controls.push(token.byte);
    if (!read.continues && read.tokens.length > 0) return controls;
  }
}

function expectAck(reply: number[] | undefined, step: string, header: ContourHeader | undefined): void {
  if (reply?.includes(ASTM.ACK)) return;
  if (reply?.includes(ASTM.NAK) && step === 'the date' && NEXT_LINK_PRODUCTS.includes(header?.productNumber ?? '')) {
    throw new HubError('DEVICE_ERROR', 'this Contour Next Link is paired with an insulin pump, which sets its clock: set the time on the pump');
  }
  const got = reply === undefined ? 'no answer' : reply.length === 0 ? 'no control byte' : reply.map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
  throw new HubError(reply === undefined ? 'DEVICE_NO_RESPONSE' : 'DEVICE_ERROR', `the meter did not accept ${step} (${got}); its clock was not changed`);
}

/** Put the meter into command mode and set its date and time to `epochMs` (workstation local). */
export async function setMeterClock(transfer: Conversation, ctx: DriverContext, header: ContourHeader | undefined, epochMs: number, signal: AbortSignal): Promise<void> {
  await transfer.settle();
  // 1. ACK without waiting: at least one model (Next One) does not answer it.
  transfer.reader.takeQueued();
  await transfer.write(Uint8Array.of(ASTM.ACK));
  // 2. EOT, except on the models that do not expect it; any answer will do.
  if (!NO_EOT_PRODUCTS.includes(header?.productNumber ?? '')) {
    if ((await exchange(transfer, ctx, Uint8Array.of(ASTM.EOT), signal)) === undefined) {
      throw new HubError('DEVICE_NO_RESPONSE', 'the meter did not answer when asked to leave data mode; its clock was not changed');
    }
  }
  // 3. NAK until the meter answers EOT (it drops the transfer it offered).
  for (let tries = 1; ; tries++) {
    const reply = await exchange(transfer, ctx, Uint8Array.of(ASTM.NAK), signal);
    if (reply?.includes(ASTM.EOT)) break;
    if (tries >= NAK_TRIES) throw new HubError('DEVICE_NO_RESPONSE', `the meter did not enter command mode after ${NAK_TRIES} tries; its clock was not changed`);
    await sleep(ctx.clock, NAK_RETRY_GAP_MS, signal);
  }
  // 4. ENQ: we are the sender now.
  expectAck(await exchange(transfer, ctx, Uint8Array.of(ASTM.ENQ), signal), 'ENQ', header);
  const { date, time } = clockPayloads(epochMs);
  const steps: [string, string][] = [
    ['W|', 'the write command'],
    ['D|', 'the date command'],
    [date, 'the date'],
    ['W|', 'the write command'],
    ['T|', 'the time command'],
    [time, 'the time'],
  ];
  for (const [text, step] of steps) {
    expectAck(await exchange(transfer, ctx, fromLatin1(text), signal), step, header);
  }
}
