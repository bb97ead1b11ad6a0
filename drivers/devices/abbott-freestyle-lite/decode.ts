/**
 * The Lite's `$mem` dump in the meter's own terms (PROTOCOL.md §4): the family's dump assembler
 * (header, records, 16-bit sum) and record and clock decoders, which the Optium shares.
 */
export { decodeRecord, decodeClock, DumpAssembler, type DumpHeader, type DumpStep, type FreestyleRecord } from '../../families/freestyle-serial/dump.ts';
