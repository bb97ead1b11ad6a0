/** `Driver.decodeProbe`: the FreeStyle serial family's dump path (framer, assembler, decoders, normalize). */
export { decodeDumpProbe as decodeProbe } from '../../families/freestyle-serial/decode-probe.ts';
