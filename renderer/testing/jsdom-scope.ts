import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { stubLayout } from './fake-hub.ts';

/**
 * Call once at the top of a jsdom test file: before each test the layout is stubbed (jsdom lays
 * nothing out, see `stubLayout`) and, with `resetHash`, the page's hash route cleared; after each
 * test the rendered tree is unmounted and the stub removed.
 */
export function jsdomScope(opts: { viewportPx?: number; rowPx?: number; resetHash?: boolean } = {}): void {
  let unstub: () => void = () => undefined;
  beforeEach(() => {
    unstub = stubLayout({ ...(opts.viewportPx !== undefined ? { viewportPx: opts.viewportPx } : {}), ...(opts.rowPx !== undefined ? { rowPx: opts.rowPx } : {}) });
    if (opts.resetHash) window.location.hash = '';
  });
  afterEach(() => {
    cleanup();
    unstub();
  });
}
