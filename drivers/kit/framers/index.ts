export * from './framer.ts';
export * from './lines.ts';
export * from './stx-etx.ts';
export * from './astm-e1381.ts';
export * from './mllp.ts';
