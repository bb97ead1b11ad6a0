// The Electron main process's entry (`electron main/electron/entry.mjs`, and the packaged
// app's "main"): register tsx so the TypeScript shell runs as it is, then load it. Electron
// emits `ready` only once this module, top-level await included, has finished.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
