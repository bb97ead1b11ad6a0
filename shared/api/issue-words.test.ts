import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueSentence } from './issue-words.ts';

const first = (schema: z.ZodType, input: unknown): string => {
  const parsed = schema.safeParse(input);
  return parsed.success ? 'ok' : issueSentence(parsed.error.issues[0]);
};

describe('issueSentence', () => {
  const Schema = z
    .object({
      badgeId: z.string().trim().min(1).max(100),
      patientIdentifierSystem: z.string().min(3).optional(),
      readingIds: z.array(z.string()).min(1).max(2).optional(),
      nested: z.object({ keyId: z.string().max(5) }).optional(),
    })
    .strict();

  it('names the field in words and says what is wrong, without the schema message', () => {
    expect(first(Schema, { badgeId: 'x'.repeat(101) })).toBe('Badge ID is too long (at most 100 characters).');
    expect(first(Schema, { badgeId: 'b', patientIdentifierSystem: 'ab' })).toBe('Patient identifier system is too short (at least 3 characters).');
    expect(first(Schema, { badgeId: 'b', readingIds: ['a', 'b', 'c'] })).toBe('Readings: too many (at most 2 items).');
    expect(first(Schema, { badgeId: 'b', nested: { keyId: 'toolong' } })).toBe('Key ID is too long (at most 5 characters).');
    expect(first(Schema, {})).toBe('Badge ID is missing.');
    expect(first(Schema, { badgeId: 7 })).toBe('Badge ID has the wrong kind of value (expected text).');
    expect(first(Schema, { badgeId: 'b', extra: 1 })).toBe('This action does not take the field "extra".');
    expect(issueSentence(undefined)).toBe('The request was not understood.');
    expect(first(z.object({ host: z.string().regex(/^a/, 'starts with a') }), { host: 'b' })).toBe('Host: starts with a.');
  });
});
