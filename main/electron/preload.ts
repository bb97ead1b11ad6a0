import { contextBridge, ipcRenderer } from 'electron';
import { buildPreloadApi } from './preload-api.ts';

// The preload of the app window: bundled into one CommonJS file (scripts/build-preload.ts)
// because a sandboxed preload can require nothing but 'electron'. It puts the contract's methods
// on window.hub, in the page's world, through contextBridge: never ipcRenderer itself.
contextBridge.exposeInMainWorld('hub', buildPreloadApi(ipcRenderer));
