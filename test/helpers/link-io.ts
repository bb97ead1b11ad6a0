import type { HubError } from '../../shared/errors.ts';
import type { Link } from '../../drivers/kit/index.ts';

/** Resolve with everything `link` receives once `length` bytes have arrived. */
export function collect(link: Link, length: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Uint8Array[] = [];
    let total = 0;
    link.onData((chunk) => {
      parts.push(chunk);
      total += chunk.length;
      if (total >= length) resolve(Buffer.concat(parts));
    });
  });
}

/** Resolve when `link` ends, with the error it ended with, if any. */
export function nextClose(link: Link): Promise<HubError | undefined> {
  return new Promise((resolve) => link.onClose(resolve));
}
