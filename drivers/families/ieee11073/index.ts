/** IEEE 11073-20601 personal health device protocol, manager side (README.md). */
export * from './apdu.ts';
export * from './configuration.ts';
export * from './framer.ts';
export * from './manager.ts';
export * from './mder.ts';
export * from './mds.ts';
export * from './messages.ts';
export * from './nomenclature.ts';
export * from './pm-store.ts';
