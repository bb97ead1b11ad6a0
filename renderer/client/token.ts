/** Where the page keeps the per-run token for reloads within this tab (never localStorage). */
export const TOKEN_STORAGE_KEY = 'pochub.token';

/** The parts of `window` the token handling needs. */
export interface TokenWindow {
  readonly location: { readonly href: string };
  readonly history: { readonly state: unknown; replaceState(data: unknown, unused: string, url?: string): void };
  readonly sessionStorage: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * The access token of browser mode: taken from `?token=` (the address `pochub serve` printed),
 * kept in sessionStorage for reloads, and removed from the address bar at once so it is not left
 * in the history, a bookmark or a screenshot.
 */
export function takeToken(win: TokenWindow): string | undefined {
  const url = new URL(win.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      win.sessionStorage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the token still works for this page's life.
    }
    url.searchParams.delete('token');
    win.history.replaceState(win.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  try {
    return win.sessionStorage.getItem(TOKEN_STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
