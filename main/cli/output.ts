import { HubError, isHubError, type ErrorCode } from '../../shared/errors.ts';
import type { Reading } from '../../shared/reading.ts';

/**
 * How a command fails as expected: a HubError whose message is the one line `pochub:` prints,
 * with the exit code in `details.exitCode` (1 failed, 2 wrong usage or unusable input, 130
 * cancelled). Anything else reaching the top is a bug (exit 70, with its stack).
 */

/** The exit code of an expected failure with this code, when the command does not choose one. */
const EXIT_BY_CODE: Partial<Record<ErrorCode, number>> = { INPUT_INVALID: 2, DRIVER_UNKNOWN: 2, CANCELLED: 130 };

/**
 * Expected failures that any command may meet wherever it touches the store or the registry, so
 * they end it with one line even when the command did not wrap them: an unknown driver named on
 * the command line (a usage error), and a data folder that is full or read-only.
 */
const EXPECTED_ANYWHERE: Partial<Record<ErrorCode, number>> = { DRIVER_UNKNOWN: 2, STORAGE_FULL: 1, STORAGE_READONLY: 1 };

/** A failure that ends the command with `message` and `exitCode` (default: by code, else 1). */
export function commandFailure(code: ErrorCode, message: string, options: { exitCode?: number; cause?: unknown } = {}): HubError {
  return new HubError(code, message, { cause: options.cause, details: { exitCode: options.exitCode ?? EXIT_BY_CODE[code] ?? 1 } });
}

/**
 * What the command caught, as its failure: the error's line with its code (`errorLine`) and
 * exit 1 unless told otherwise. `code` is used when `e` is not a HubError; a failure already
 * made for the command passes unchanged.
 */
export function commandFailureOf(e: unknown, options: { code?: ErrorCode; message?: string; exitCode?: number } = {}): HubError {
  if (isHubError(e) && ownExitCode(e) !== undefined) return e;
  return commandFailure(isHubError(e) ? e.code : (options.code ?? 'INTERNAL'), options.message ?? errorLine(e), { exitCode: options.exitCode ?? 1, cause: e });
}

/**
 * The exit code of an expected failure, or undefined for a bug: a failure made for the command
 * carries its own; an unknown driver, named on the command line, is a usage error (2).
 */
export function exitCodeOf(e: unknown): number | undefined {
  if (!isHubError(e)) return undefined;
  return ownExitCode(e) ?? EXPECTED_ANYWHERE[e.code];
}

function ownExitCode(e: HubError): number | undefined {
  const exitCode = e.details?.['exitCode'];
  return typeof exitCode === 'number' ? exitCode : undefined;
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

/** Problems that are input thrown away: noise, a bad checksum, a cut frame. */
const DROPPED: ReadonlySet<string> = new Set<ErrorCode>(['PROTOCOL_GARBAGE', 'PROTOCOL_CHECKSUM', 'PROTOCOL_TRUNCATED']);

/** Whether a problem of this code is input the driver threw away (not a record it kept, flagged). */
export function isDroppedInput(code: ErrorCode): boolean {
  return DROPPED.has(code);
}

/**
 * The warning lines summing up a session's problems, or undefined when there was none: input
 * thrown away is "skipped"; any other problem (an unexpected frame, a record kept with a warning)
 * is only counted, since the driver may have kept what it concerned.
 */
export function problemSummary(problems: Partial<Record<ErrorCode, number>>): string | undefined {
  const words = (entries: [string, number | undefined][]): string =>
    entries.map(([code, n]) => `${n} ${PROBLEM_WORDS[code as ErrorCode] ?? code}${n === 1 ? '' : 's'}`).join(', ');
  const counted = Object.entries(problems).filter(([, n]) => (n ?? 0) > 0);
  const dropped = counted.filter(([code]) => DROPPED.has(code));
  const other = counted.filter(([code]) => !DROPPED.has(code));
  const lines: string[] = [];
  if (dropped.length > 0) lines.push(`warning: skipped ${words(dropped)} in the device stream`);
  if (other.length > 0) lines.push(`warning: ${words(other)} reported by the driver (see the warnings above)`);
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** The one-line message of any error, with the HubError code when there is one. */
export function errorLine(e: unknown): string {
  if (isHubError(e)) return `${e.message} [${e.code}]`;
  return e instanceof Error ? e.message : String(e);
}
