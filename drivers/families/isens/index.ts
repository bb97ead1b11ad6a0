/** The i-SENS iSPc protocol (protocol 3), shared by every link its meters use (README.md). */
export * from './protocol.ts';
export * from './decode.ts';
export * from './normalize.ts';
export * from './conversation.ts';
export * from './session.ts';
export * from './simulated-device.ts';
export * from './simulator.ts';
export * from './decode-probe.ts';
export * from './trace.ts';
export * from './hid-byte-link.ts';
