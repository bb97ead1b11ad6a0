import { useLayoutEffect, useRef } from 'react';

/** Space kept below the filled element, in px, so its border is not on the window's edge. */
const BOTTOM_GAP_PX = 12;

/**
 * Size an element to fill the window from where it starts down to the bottom, and keep it so
 * when what sits above it changes height (the status line wrapping, the banner appearing) or the
 * window is resized. The review screen uses it so the page itself never scrolls: at 1366×768 the
 * live values and the pending list must both be on screen (docs/architecture.md §8).
 */
export function useFillWindow<T extends HTMLElement>(): React.RefObject<T | null> {
  const ref = useRef<T>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fit = (): void => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      const height = `${Math.max(0, Math.floor(window.innerHeight - top - BOTTOM_GAP_PX))}px`;
      if (el.style.height !== height) el.style.height = height;
    };
    fit();
    window.addEventListener('resize', fit);
    // jsdom (unit tests) has no ResizeObserver; there is no layout to follow there anyway.
    const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(fit);
    observer?.observe(document.body);
    return () => {
      window.removeEventListener('resize', fit);
      observer?.disconnect();
    };
  }, []);
  return ref;
}
