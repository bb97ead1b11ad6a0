import { LineFramer } from '../../kit/index.ts';

/** The print line is 21 bytes with CR LF; labelled BMI lines are ~30; far longer is noise. */
export const MAX_LINE_BYTES = 80;

/** A framer for the scale's CR LF lines (either byte alone is tolerated as an end). */
export function createLineFramer(): LineFramer {
  return new LineFramer({ maxLength: MAX_LINE_BYTES });
}
