import { describe, expect, it } from 'vitest';
import { latin1 } from '../../kit/index.ts';
import { encodeCommand } from './lines.ts';
import { timCommand } from './session.ts';

describe('FreeStyle $tim', () => {
  it("gives the notes' bytes for 2024-03-05 14:30 (PROTOCOL.md §3)", () => {
    const bytes = encodeCommand(timCommand(new Date(2024, 2, 5, 14, 30, 0).getTime()));
    expect(Buffer.from(bytes).toString('hex').toUpperCase()).toBe('2474696D2C30332C30352C32342C31342C33300D0A');
  });

  it('rounds to the nearest minute (the meter keeps none of the seconds)', () => {
    expect(timCommand(new Date(2024, 11, 31, 23, 59, 31).getTime())).toBe('tim,01,01,25,00,00');
    expect(latin1(encodeCommand(timCommand(new Date(2024, 2, 5, 14, 30, 29).getTime())))).toBe('$tim,03,05,24,14,30\r\n');
  });

  it('refuses a year the meter cannot hold', () => {
    expect(() => timCommand(new Date(2100, 0, 1, 12, 0).getTime())).toThrow(/20YY/);
  });
});
