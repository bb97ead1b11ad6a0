/**
 * The ASTM protocol family: the E1381 (LIS1-A) low level as the receiving side, and the E1394
 * (LIS2-A2) record layer. Shared by the Bayer/Ascensia Contour meters (over HID) and, later, the
 * LIS-class analyzers (over serial or TCP). Framing lives in the kit (`AstmFramer`).
 */
export * from './receiver.ts';
export * from './records.ts';
