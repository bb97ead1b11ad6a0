import type { Hl7Target } from '../../../shared/export/targets.ts';
import type { Exporter, ExporterDeps, ExportItem, RenderedPayload, SendContext, SendOutcome, ConnectionTestResult } from '../exporter.ts';
import type { Ack } from './ack.ts';
import { buildOru, HL7_CONTENT_TYPE } from './build-oru.ts';
import { assertSendable } from './content-gate.ts';
import { MllpClient, probe } from './mllp-client.ts';

/**
 * The HL7 v2 exporter: ORU^R01 (generic v2.5.1 or IHE PCD-01) over MLLP. The outbox calls
 * `render` once and stores the text; `send` delivers those exact bytes and says what the ACK
 * means for the outbox (docs/export.md §6).
 */

/** What an ACK code means for the outbox: accepted, refused for good, or "not now". */
function outcomeOf(ack: Ack): SendOutcome {
  const said = ack.text === '' ? '' : `: ${ack.text}`;
  switch (ack.code) {
    case 'AA':
    case 'CA':
      return { result: 'done', status: ack.code, response: ack.raw };
    case 'AE':
    case 'CE':
      // The receiver found fault with the content; the same bytes would fail the same way.
      return { result: 'dead', status: ack.code, response: ack.raw, message: `The receiver refused the message (${ack.code})${said}` };
    case 'AR':
    case 'CR':
      // A reject is the receiver's "not now" (busy, down for maintenance): try the same bytes later.
      return { result: 'retry', status: ack.code, response: ack.raw, message: `The receiver rejected the message for now (${ack.code})${said}` };
  }
}

export function createHl7Exporter(target: Hl7Target, deps: ExporterDeps): Exporter {
  const client = new MllpClient(target.host, target.port);
  const now = deps.now ?? Date.now;
  return {
    kind: 'hl7',

    async render(item: ExportItem): Promise<RenderedPayload> {
      const body = buildOru(item, target, new Date(now()));
      assertSendable(body, target.profile, item.controlId);
      return { body, contentType: HL7_CONTENT_TYPE };
    },

    async send(payload: RenderedPayload, ctx: SendContext): Promise<SendOutcome> {
      const answer = await client.exchange(payload.body, ctx.controlId, { timeoutMs: target.ackTimeoutMs, signal: ctx.signal });
      if (answer.kind === 'ack') return outcomeOf(answer.ack);
      return { result: 'retry', status: answer.status, response: '', message: answer.message };
    },

    test(signal: AbortSignal): Promise<ConnectionTestResult> {
      return probe(target.host, target.port, target.ackTimeoutMs, signal);
    },

    close(): Promise<void> {
      return client.close();
    },
  };
}
