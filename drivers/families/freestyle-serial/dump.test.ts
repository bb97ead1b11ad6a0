import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { DumpAssembler, type DumpStep, decodeRecord } from './dump.ts';
import { FreestyleLineFramer } from './lines.ts';

/** The notes' constructed Lite dump, typed out by hand (PROTOCOL.md §4), checksum as printed there. */
const LITE_NOTES =
  '\r\nDBMN169-C4824\r\n1.43     -P\r\nMar  05 2024 14:30:07\r\n003\r\n\n' +
  '104  Mar  05 2024 07:42 00 0x00\r\nHI   Mar  04 2024 21:05 00 0x00\r\n128  Mar  04 2024 08:10 00 0x01\r\n0x1DB6  END\r\n';
/** The notes' constructed Optium `$xmem` dump (abbott-freestyle-optium/PROTOCOL.md §5). */
const OPTIUM_NOTES =
  '\r\nMAGD123-A4567\r\n1.00\r\nMar  05 2024 14:30:07\r\n003\r\n' +
  '104  Mar  05 2024 07:42 G 0x00\r\n003  Mar  04 2024 22:00 K 0x00\r\nHI   Mar  04 2024 21:05 G 0x00\r\n0x1C23  END\r\n';

function assemble(chunks: readonly Uint8Array[]): DumpStep[] {
  const framer = new FreestyleLineFramer();
  const dump = new DumpAssembler();
  const steps: DumpStep[] = [];
  for (const chunk of chunks) for (const line of framer.push(chunk).frames) steps.push(dump.push(line));
  return steps;
}

const last = (steps: DumpStep[]): DumpStep | undefined => steps[steps.length - 1];

describe('FreeStyle dump assembler', () => {
  it.each([
    ['Lite', LITE_NOTES],
    ['Optium', OPTIUM_NOTES],
  ])("accepts the notes' %s dump with its published checksum", (_name, text) => {
    const end = last(assemble([fromLatin1(text)]));
    expect(end?.kind).toBe('done');
    if (end?.kind === 'done') expect(end.records.map((r) => r.text.slice(0, 3))).toEqual(text.includes(' K ') ? ['104', '003', 'HI '] : ['104', 'HI ', '128']);
  });

  it('rejects the dump when one byte changed (the sum no longer matches)', () => {
    const end = last(assemble([fromLatin1(LITE_NOTES.replace('104  Mar', '105  Mar'))]));
    expect(end).toMatchObject({ kind: 'failed', code: 'PROTOCOL_CHECKSUM', ended: true });
  });

  it('rejects a dump whose count does not match its records', () => {
    const body = LITE_NOTES.replace('003\r\n', '004\r\n');
    const sum = [...fromLatin1(body.slice(0, body.indexOf('0x1DB6')))].reduce((a, b) => (a + b) & 0xffff, 0);
    const end = last(assemble([fromLatin1(body.replace('0x1DB6', `0x${sum.toString(16).toUpperCase().padStart(4, '0')}`))]));
    expect(end).toMatchObject({ kind: 'failed', code: 'PROTOCOL_UNEXPECTED' });
  });

  it('accepts both empty-meter forms', () => {
    const head = '\r\nDBMN169-C4824\r\n1.43     -P\r\nMar  05 2024 14:30:07\r\n000\r\n';
    for (const tail of ['Log Empty END\r\n', 'Log Empty\r\nEND\r\n']) {
      const steps = assemble([fromLatin1(head + tail)]);
      expect(steps.find((s) => s.kind === 'done')).toMatchObject({ kind: 'done', records: [] });
    }
  });

  it('accepts the empty answer without a header, with or without the opening empty line', () => {
    for (const text of ['Log Empty END\r\n', '\r\nLog Empty END\r\n', '\x03Log Empty\r\nEND\r\n']) {
      expect(last(assemble([fromLatin1(text)])), JSON.stringify(text)).toMatchObject({ kind: 'done', header: undefined, records: [] });
    }
  });

  it('waits for the END of the two-line empty form, and settles without it when the meter goes quiet', () => {
    const head = '\r\nDBMN169-C4824\r\n1.43     -P\r\nMar  05 2024 14:30:07\r\n000\r\n';
    const steps = assemble([fromLatin1(`${head}Log Empty\r\n`)]);
    expect(steps.some((s) => s.kind === 'done')).toBe(false);
    const framer = new FreestyleLineFramer();
    const dump = new DumpAssembler();
    for (const line of framer.push(fromLatin1(`${head}Log Empty\r\n`)).frames) dump.push(line);
    expect(dump.settle()).toMatchObject({ kind: 'done', records: [] });
    expect(new DumpAssembler().settle()).toBeUndefined();
  });

  it('decodes 4-letter months, HI/LO and the Optium type', () => {
    expect(decodeRecord('250  June 30 2025 23:59 00 0x02')).toEqual({ ok: true, value: { deviceTime: '2025-06-30T23:59:00', value: { kind: 'number', raw: 250, digits: '250' }, type: '00', status: 2 } });
    expect(decodeRecord('LO   July 01 2025 00:00 G 0x00')).toMatchObject({ ok: true, value: { value: { kind: 'limit', limit: 'LO' }, type: 'G' } });
    expect(decodeRecord('104  Foo  05 2024 07:42 00 0x00').ok).toBe(false);
    expect(decodeRecord('104  Feb  30 2024 07:42 00 0x00').ok).toBe(false);
  });

  it('gives the same dump whatever the chunking (property)', () => {
    const bytes = fromLatin1(LITE_NOTES);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: bytes.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let from = 0;
        for (const p of [...points, bytes.length]) {
          chunks.push(bytes.subarray(from, p));
          from = p;
        }
        expect(last(assemble(chunks))?.kind).toBe('done');
      }),
    );
  });

  it('never throws on garbage and never completes a dump from it (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (garbage) => {
        const steps = assemble([garbage]);
        expect(steps.some((s) => s.kind === 'done' && s.records.length > 0)).toBe(false);
      }),
    );
  });
});
