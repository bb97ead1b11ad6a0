/** The driver SDK: everything a driver folder may import from the kit. */
export * from './bytes.ts';
export * from './checksums.ts';
export * from './clock.ts';
export * from './deadline.ts';
export * from './driver.ts';
export * from './frame-reader.ts';
export * from './framers/index.ts';
export * from './link.ts';
export * from './manifest.ts';
export * from './session.ts';
export * from './simulator.ts';
export * from './stability.ts';
export * from './times.ts';
export * from './trace.ts';
export * from './replay.ts';
export * from './simulated-session.ts';
