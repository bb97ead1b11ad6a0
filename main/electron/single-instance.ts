import type { App } from 'electron';

/**
 * One hub per workstation: a second launch would open the same store and fight over the
 * devices. The first instance keeps the lock; a second one quits at once, and the first brings
 * its window to the front so the assistant sees the app they just launched.
 *
 * Returns true when this process is the one to run.
 */
export function claimSingleInstance(app: Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on'>, focusExisting: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => focusExisting());
  return true;
}

/** Bring a window to the front, restoring it first when minimised. */
export function focusWindow(window: { isDestroyed(): boolean; isMinimized(): boolean; restore(): void; show(): void; focus(): void } | undefined): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
