import { describe, expect, it } from 'vitest';
import { HubError } from '../shared/errors.ts';
import { bugLine, describeBug, failureText, isBug } from './bug-report.ts';

describe('describeBug', () => {
  it('prints the stack and every nested cause, with a HubError code', () => {
    const root = new Error('disk on fire');
    const middle = new HubError('STORE_FAILED', 'could not write', { cause: root });
    const text = describeBug(new TypeError('x is undefined', { cause: middle }));
    expect(text).toMatch(/^TypeError: x is undefined\n\s+at /);
    expect(text).toContain('caused by: [STORE_FAILED] HubError: could not write');
    expect(text).toContain('caused by: Error: disk on fire');
    expect(text.indexOf('disk on fire')).toBeGreaterThan(text.indexOf('could not write'));
  });

  it('stops at a cause cycle and prints a thrown non-Error as it is', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });
    expect(describeBug(a).match(/caused by/g)).toHaveLength(1);
    expect(describeBug('a string')).toBe('a string');
    expect(bugLine('listener of state', 42)).toBe('pochub: bug in listener of state: 42');
  });

  it('tells an expected failure (its words) from a bug (its stack), also one a session wrapped', () => {
    const expected = new HubError('TRANSPORT_CLOSED', 'the meter went away', { cause: new Error('EIO') });
    const wrapped = new HubError('PROTOCOL_UNEXPECTED', 'x is undefined', { cause: new TypeError('x is undefined'), details: { bug: true } });
    expect([isBug(expected), isBug(wrapped), isBug(new Error('boom'))]).toEqual([false, true, true]);
    expect(failureText(expected)).toBe('the meter went away');
    expect(failureText(wrapped)).toContain('caused by: TypeError: x is undefined\n');
  });
});
