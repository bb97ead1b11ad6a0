/**
 * The app's own origin. The renderer is served from a custom privileged scheme rather than
 * file:// so that its origin is fixed and checkable: file:// pages share one opaque origin with
 * every other local file, and an http://127.0.0.1 origin could be taken by any local process.
 */
export const APP_SCHEME = 'app';
const APP_HOST = 'pochub';
/** Where the window starts. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Is `url` a page of the app itself? Compared by scheme and host, not by `URL.origin`: the URL
 * parser gives non-special schemes the opaque origin "null", which would match any such URL.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}
