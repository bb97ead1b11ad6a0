/**
 * The IPC channels between the preload and the main process: one for calls, one for events
 * (docs/architecture.md §10). Kept in their own file so the bundled preload does not pull in main's code.
 */
export const HUB_CALL_CHANNEL = 'hub:call';
export const HUB_EVENT_CHANNEL = 'hub:event';
