import { useEffect, useRef, useState } from 'react';

/**
 * `value`, changing at most once per `ms`: the first change after a quiet spell comes at once,
 * later ones at the end of the window (the last always arrives). While the worker drains a
 * queue, an `outbox` event comes per row; the screen reloads its rows once a second, not per row.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const timer = setTimeout(
      () => {
        last.current = Date.now();
        setShown(value);
      },
      Math.max(0, last.current + ms - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [value, shown, ms]);
  return shown;
}
