import { AstmReceiver } from '../../families/astm/receiver.ts';
import { portCodeMap } from './code-maps.ts';
import { AstmMessageBuilder } from './decode.ts';
import { normalizeSample } from './normalize.ts';
import { createTokenFramer } from './protocol.ts';

const MAP = portCodeMap('generic', '');

/**
 * `Driver.decodeProbe`: the session's path without a link — framer, receiver, message builder,
 * normalize with the generic map — over device chunks. Returns the samples normalized.
 */
export function decodeProbe(chunks: readonly Uint8Array[]): number {
  if (!MAP.ok) return 0;
  const framer = createTokenFramer();
  const receiver = new AstmReceiver({ firstFrame: 'one' });
  const builder = new AstmMessageBuilder();
  let samples = 0;
  const tokens = chunks.flatMap((chunk) => framer.push(chunk).frames);
  for (const token of tokens) {
    const step = receiver.receive(token);
    if (step.event === 'established' || step.event === 'restarted' || step.event === 'ended') builder.reset();
    for (const record of step.records) {
      const { message } = builder.add(record.text);
      if (!message) continue;
      for (const sample of message.samples) {
        normalizeSample(message, sample, MAP.map);
        samples++;
      }
    }
  }
  return samples;
}
