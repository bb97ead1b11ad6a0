/** The CP2110 HID-to-UART bridge, shared by every meter behind one (README.md). */
export * from './reports.ts';
export * from './byte-link.ts';
export * from './answering-meter.ts';
