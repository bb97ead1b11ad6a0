import { decodeReply, type RateReply } from './decode.ts';
import { nibpObservations, oximetrySample, temperatureObservation } from './normalize.ts';
import { POLLS, createLineFramer } from './protocol.ts';

/**
 * `Driver.decodeProbe`: the line framer, then every line decoded as the reply to each poll (the
 * session knows which poll it sent; the probe does not) and normalized as the session does, the
 * last rate reply standing in for the one the session pairs with NIBP and SpO₂.
 */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  const framer = createLineFramer();
  const lines = chunks.flatMap((chunk) => framer.push(chunk).frames);
  lines.push(...framer.flush().frames);
  let rate: RateReply | undefined;
  let records = 0;
  for (const line of lines) {
    for (const poll of POLLS) {
      const decoded = decodeReply(poll, line);
      if (!decoded.ok) continue;
      records++;
      const reply = decoded.reply;
      if (reply.poll === 'RA') rate = reply;
      if (reply.poll === 'NA') nibpObservations(reply, rate);
      if (reply.poll === 'TC') temperatureObservation(reply);
      if (reply.poll === 'OA') oximetrySample(reply, rate);
    }
  }
  return records;
}
