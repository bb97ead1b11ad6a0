/**
 * The iSPc frames (../isens-caresens/PROTOCOL.md §4–5) are shared by every i-SENS link and live in
 * drivers/families/isens/protocol.ts; this folder adds only its link (driver.ts).
 */
export { CMD, ECHO, GLUE_BLOCK, IspcFramer, encodeFrame, frameCrc, glueRequest, type Frame, type FrameItem } from '../../families/isens/index.ts';
