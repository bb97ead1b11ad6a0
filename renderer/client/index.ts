import type { HubBridge, HubClient } from '../../shared/api/client.ts';
import { createBridgeClient } from './bridge-client.ts';
import { createHttpClient } from './http-client.ts';
import { takeToken, type TokenWindow } from './token.ts';


/** The page's window as the client sees it: the Electron preload may have put `hub` on it. */
type ClientWindow = TokenWindow & { readonly hub?: HubBridge; readonly location: { readonly href: string; readonly origin: string } };

/**
 * The one client the renderer uses (docs/architecture.md §10): the Electron bridge when the preload put
 * one on `window.hub`, otherwise browser mode over HTTP and a WebSocket to the page's own origin.
 */
export function createHubClient(win: ClientWindow): HubClient {
  if (win.hub) return createBridgeClient(win.hub);
  return createHttpClient({ origin: win.location.origin, token: takeToken(win) });
}
