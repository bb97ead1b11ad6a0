import { Hl7Message } from '@medplum/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHl7, unescapeHl7 } from './escape.ts';

/** `value` as OBX-5 of a message, parsed by Medplum, read back as the raw field text. */
function throughMedplum(value: string): string {
  const text = `MSH|^~\\&|A|B|C|D|20261127091500||ORU^R01^ORU_R01|X1|P|2.5.1\rOBX|1|ST|X^Y^L||${escapeHl7(value)}|after`;
  const obx = Hl7Message.parse(text).getSegment('OBX');
  // The field after OBX-5 must survive too: an escape that leaked a delimiter would shift it.
  expect(obx?.getField(6)?.toString()).toBe('after');
  return obx?.getField(5)?.getComponent(1) ?? '';
}

const hl7ish = fc.string({ unit: fc.constantFrom('|', '^', '~', '\\', '&', '\r', '\n', '\x0b', '\x1c', 'a', 'X', '0', 'é', '😀', 'E', 'F', '.', 'b', 'r') });

describe('HL7 escaping', () => {
  it('round-trips any text through escape, a Medplum parse and unescape', () => {
    fc.assert(
      fc.property(fc.oneof(hl7ish, fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary-ascii' })), (value) => {
        expect(unescapeHl7(throughMedplum(value))).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('uses the standard sequences, escape character first, and hex for line breaks', () => {
    expect(escapeHl7('S-77|^&~\\')).toBe('S-77\\F\\\\S\\\\T\\\\R\\\\E\\');
    expect(escapeHl7('a\rb\nc')).toBe('a\\X0D\\b\\X0A\\c');
    expect(escapeHl7("Ana María O'Neil")).toBe("Ana María O'Neil");
  });

  it('decodes what receivers send: letters, hex, line breaks; unknown sequences stay as they are', () => {
    expect(unescapeHl7('a\\F\\b\\.br\\c\\XC3A9\\')).toBe('a|b\ncé');
    expect(unescapeHl7('\\H\\bold\\N\\')).toBe('bold');
    expect(unescapeHl7('\\Z99\\')).toBe('\\Z99\\');
  });
});
