/** Reply decoding (PROTOCOL.md §3, §5–6) is shared by every i-SENS link: drivers/families/isens/decode.ts. */
export { decodeClock, decodeCount, decodeEcho, decodeGlue, decodeSerial, type Decoded, type GlueRecord, type MeterTime } from '../../families/isens/index.ts';
