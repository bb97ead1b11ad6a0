import { useCallback, useEffect, useRef, useState } from 'react';
import { usePageStateStore } from '../state/use-hub.tsx';

/** At most one keepAlive this often while the person is at the screen (never more than every 30 s). */
const KEEP_ALIVE_MAX_MS = 30_000;
/** Input that shows a person is at the screen. */
const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/**
 * The page's side of the inactivity lock (docs/architecture.md §8): while someone is signed in,
 * keyboard, mouse and touch input send a cheap `keepAlive` (throttled), and when no input came
 * for `lockAfterMs` the page shows the lock screen itself and asks the hub for its state (which
 * has locked the session by then). Returns whether the page's own timer ran out, and how to
 * reset it after an unlock.
 */
export function useIdleLock(active: boolean, lockAfterMs: number | undefined): { idle: boolean; reset: () => void } {
  const store = usePageStateStore();
  const [idle, setIdle] = useState(false);
  const lastInput = useRef(Date.now());
  const lastSent = useRef(0);

  const reset = useCallback(() => {
    lastInput.current = Date.now();
    setIdle(false);
  }, []);

  useEffect(() => {
    if (!active || lockAfterMs === undefined || idle) return;
    const throttleMs = Math.min(KEEP_ALIVE_MAX_MS, Math.max(250, lockAfterMs / 4));
    lastInput.current = Date.now();
    const onInput = (): void => {
      const now = Date.now();
      lastInput.current = now;
      if (now - lastSent.current < throttleMs) return;
      lastSent.current = now;
      void store.call('keepAlive', {});
    };
    for (const name of INPUT_EVENTS) window.addEventListener(name, onInput, { passive: true, capture: true });
    const check = setInterval(
      () => {
        if (Date.now() - lastInput.current < lockAfterMs) return;
        setIdle(true);
        void store.load();
      },
      Math.min(1_000, throttleMs),
    );
    return () => {
      for (const name of INPUT_EVENTS) window.removeEventListener(name, onInput, { capture: true });
      clearInterval(check);
    };
  }, [active, lockAfterMs, idle, store]);

  return { idle, reset };
}
