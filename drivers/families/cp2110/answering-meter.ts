import { FrameReader, playUntilStopped, type Framer, type Link, type SimulatorContext } from '../../kit/index.ts';
import { Cp2110ByteLink } from './byte-link.ts';

/** A meter's byte stream on its device Link, and how to detach it when the meter stops. */
export type MeterBytes = (link: Link) => { bytes: Link; release: () => Promise<void> };

/** The byte stream behind a CP2110 bridge: the same bridge layer the driver speaks through. */
export const cp2110MeterBytes: MeterBytes = (link) => {
  const bytes = new Cp2110ByteLink(link);
  return { bytes, release: () => bytes.close() };
};

/**
 * Play a meter that only answers: each request `framer` cuts from the byte stream `wrap` gives is
 * handed to `answer`, whose replies are written back at once, until the host hangs up or the run
 * is aborted (neither an error: playUntilStopped). No wire time is waited here: the Link under a
 * HID device is already paced per report (bench/paced-link.ts), so waiting would count it twice.
 */
export async function answerFramedRequests<F>(ctx: SimulatorContext, wrap: MeterBytes, framer: Framer<F>, answer: (item: F) => readonly Uint8Array[]): Promise<void> {
  await playUntilStopped(ctx, async (stop) => {
    const { bytes, release } = wrap(ctx.link);
    const reader = new FrameReader({ link: bytes }, framer);
    try {
      for (;;) {
        const item = await reader.next(stop);
        if (item === undefined) return;
        for (const reply of answer(item)) await bytes.write(reply);
      }
    } finally {
      reader.dispose();
      await release();
    }
  });
}
