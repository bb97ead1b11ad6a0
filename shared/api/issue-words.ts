import type { z } from 'zod';
import { fieldWords } from './input-limits.ts';

/** The field an issue is about, in words: the last named part of its path ("Badge ID"). */
function fieldOf(path: readonly PropertyKey[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i -= 1) {
    const part = path[i];
    if (typeof part === 'string') return fieldWords(part);
  }
  return undefined;
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** What a size limit counts, by the kind of value the schema checked. */
function sizeWords(origin: string, n: number): string {
  if (origin === 'string') return plural(n, 'character');
  if (origin === 'array' || origin === 'set') return plural(n, 'item');
  return String(n);
}

/**
 * One schema complaint as a sentence a person can act on, with the field named in words:
 * "Badge ID is too long (at most 100 characters)." — never the schema's own message
 * ("Too big: expected string to have <=100 characters"), which reads as a program talking
 * (docs/architecture.md §10, §14).
 */
export function issueSentence(issue: z.core.$ZodIssue | undefined): string {
  if (issue === undefined) return 'The request was not understood.';
  const field = fieldOf(issue.path) ?? 'The request';
  // A schema that carries its own message wrote it for people ("The value has more digits than
  // any measurement…", "must use https"): keep it, naming the field when the message does not.
  if (!/^(Too (big|small)|Invalid|Unrecognized|Expected)\b/.test(issue.message) && issue.message.trim() !== '') {
    const own = issue.message.trim();
    const sentence = /[.!?]$/.test(own) ? own : `${own}.`;
    return /^[a-z]/.test(own) ? `${field}: ${sentence}` : sentence;
  }
  switch (issue.code) {
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `${field} is too long (at most ${sizeWords('string', max)}).`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${field}: too many (at most ${sizeWords('array', max)}).`;
      return `${field} is too large (at most ${max}).`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? `${field} is empty: fill it in.` : `${field} is too short (at least ${sizeWords('string', min)}).`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${field}: choose at least ${sizeWords('array', min)}.`;
      return `${field} is too small (at least ${min}).`;
    }
    case 'invalid_type':
      // zod leaves the input out of its issues; its message is the one place that says it was absent.
      return /received undefined$/.test(issue.message) ? `${field} is missing.` : `${field} has the wrong kind of value (expected ${issue.expected === 'string' ? 'text' : issue.expected}).`;
    case 'invalid_format':
      // A pattern with its own message (written for people, e.g. "no HL7 delimiters…") says it best.
      if (!/^Invalid/.test(issue.message)) return `${field}: ${issue.message}.`;
      return issue.format === 'date' ? `${field} must be a real date, written YYYY-MM-DD.` : `${field} is not in the expected form.`;
    case 'invalid_value':
      return `${field} must be one of: ${issue.values.map(String).join(', ')}.`;
    case 'unrecognized_keys':
      // Only a program sends a field the contract does not know: its own name helps most.
      return `This action does not take ${issue.keys.length === 1 ? 'the field' : 'the fields'} ${issue.keys.map((k) => `"${k}"`).join(', ')}.`;
    default:
      return `${field} is not valid.`;
  }
}
