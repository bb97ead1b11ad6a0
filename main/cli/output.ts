import type { ErrorCode } from '../../shared/errors.ts';
import { isHubError } from '../../shared/errors.ts';
import type { Reading } from '../../shared/reading.ts';

/** An error that ends a command with a one-line reason and an exit code. */
export class CommandFailure extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Reading JSON: one line with `--json` (NDJSON), indented otherwise. */
export function formatReading(reading: Reading, json: boolean): string {
  return json ? JSON.stringify(reading) : JSON.stringify(reading, null, 2);
}

const PROBLEM_WORDS: Partial<Record<ErrorCode, string>> = {
  PROTOCOL_GARBAGE: 'noise',
  PROTOCOL_CHECKSUM: 'checksum error',
  PROTOCOL_TRUNCATED: 'truncated frame',
  PROTOCOL_UNEXPECTED: 'unexpected frame',
  DEVICE_ERROR: 'device error',
};

/** One warning line summing up skipped input, or undefined when there was none. */
export function problemSummary(problems: Partial<Record<ErrorCode, number>>): string | undefined {
  const parts = Object.entries(problems)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([code, n]) => `${n} ${PROBLEM_WORDS[code as ErrorCode] ?? code}${n === 1 ? '' : 's'}`);
  return parts.length > 0 ? `warning: skipped ${parts.join(', ')} in the device stream` : undefined;
}

/** The one-line message of any error, with the HubError code when there is one. */
export function errorLine(e: unknown): string {
  if (isHubError(e)) return `${e.message} [${e.code}]`;
  return e instanceof Error ? e.message : String(e);
}
