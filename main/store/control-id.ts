import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * A message control id for one outbox row: `P` + 19 base-32 characters (95 random bits). 20
 * characters because HL7 v2.5.1 limits MSH-10 to 20; random rather than a counter so ids stay
 * unique across workstations and store rebuilds (docs/export.md §2 rule 2: never reused after a restart).
 */
export function mintControlId(): string {
  const bytes = randomBytes(19);
  let out = 'P';
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}
