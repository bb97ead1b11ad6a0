import { describe, expect, it } from 'vitest';
import { CancelledError, HubError } from '../../shared/errors.ts';
import { unknownDriverError } from '../../drivers/index.ts';
import { commandFailure, commandFailureOf, exitCodeOf, isDroppedInput, problemSummary } from './output.ts';

describe('command failures and exit codes', () => {
  it('a usage error exits 2, a cancelled prompt 130, any other failure 1 unless the command says', () => {
    expect(exitCodeOf(commandFailure('INPUT_INVALID', '--port: not a number'))).toBe(2);
    expect(exitCodeOf(commandFailure('CANCELLED', 'cancelled'))).toBe(130);
    expect(exitCodeOf(commandFailure('AUDIT_BROKEN', 'row 7 was edited'))).toBe(1);
    expect(exitCodeOf(commandFailure('INPUT_INVALID', 'cannot read trace t.txt', { exitCode: 1 }))).toBe(1);
  });

  it('an unknown driver is a usage error; any other HubError not made for the command, and a plain Error, are bugs', () => {
    expect(exitCodeOf(unknownDriverError('acme'))).toBe(2);
    expect(exitCodeOf(new HubError('STORE_FAILED', 'disk full'))).toBeUndefined();
    // A full disk or a read-only data folder is expected wherever a command meets it: one line, exit 1.
    expect(exitCodeOf(new HubError('STORAGE_FULL', 'The data folder /x is full'))).toBe(1);
    expect(exitCodeOf(new HubError('STORAGE_READONLY', 'The data folder /x is read-only'))).toBe(1);
    expect(exitCodeOf(new CancelledError())).toBeUndefined();
    expect(exitCodeOf(new Error('boom'))).toBeUndefined();
  });

  it("wraps a caught HubError as the command's: its line with its code, exit 1, the original as cause; a command failure passes unchanged", () => {
    const store = new HubError('INPUT_INVALID', 'Give either the rows or a target.');
    const wrapped = commandFailureOf(store);
    expect(wrapped).toMatchObject({ code: 'INPUT_INVALID', message: 'Give either the rows or a target. [INPUT_INVALID]', cause: store });
    expect(exitCodeOf(wrapped)).toBe(1);
    expect(commandFailureOf(wrapped)).toBe(wrapped);
    const driver = commandFailureOf(unknownDriverError('acme'));
    expect(exitCodeOf(driver)).toBe(1);
    expect(commandFailureOf(new Error('EADDRINUSE'), { code: 'TRANSPORT_OPEN_FAILED', message: 'port 80 is in use' })).toMatchObject({ code: 'TRANSPORT_OPEN_FAILED', message: 'port 80 is in use' });
  });
});

describe('problemSummary', () => {
  it('calls thrown-away input skipped, and only counts the problems a driver may have kept a record through', () => {
    expect(problemSummary({})).toBeUndefined();
    expect(problemSummary({ PROTOCOL_GARBAGE: 2, PROTOCOL_TRUNCATED: 1 })).toBe('warning: skipped 2 noises, 1 truncated frame in the device stream');
    expect(problemSummary({ PROTOCOL_CHECKSUM: 1, PROTOCOL_UNEXPECTED: 3, DEVICE_ERROR: 0 })).toBe(
      'warning: skipped 1 checksum error in the device stream\nwarning: 3 unexpected frames reported by the driver (see the warnings above)',
    );
    expect(isDroppedInput('PROTOCOL_UNEXPECTED')).toBe(false);
    expect(isDroppedInput('PROTOCOL_CHECKSUM')).toBe(true);
  });
});
