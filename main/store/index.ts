/**
 * The hub's SQLite store: forward-only migrations, sessions, raw frames, readings and their
 * observations. Only `main/` imports this; nothing here is safe for the renderer.
 */
export { HubDatabase } from './hub-database.ts';
export { MEMORY, openStore } from './open-store.ts';
export { storageErrorOf, storageMessage, type StorageCode } from './store-errors.ts';
export { assertRoomToStore, MIN_START_ROOM_BYTES } from './storage-room.ts';
