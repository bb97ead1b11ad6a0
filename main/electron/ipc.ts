import type { IpcMain, WebContents } from 'electron';
import { z } from 'zod';
import type { ApiResult } from '../../shared/api/client.ts';
import type { ApiError } from '../../shared/api/model.ts';
import type { HubEvent } from '../api/event-bus.ts';
import type { CallContext } from '../api/handlers.ts';
import { isAppUrl } from './app-origin.ts';
import { HUB_CALL_CHANNEL, HUB_EVENT_CHANNEL } from './channels.ts';

/** What a sender frame must show to be trusted (WebFrameMain has these). */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

/** What the call handler reads of an IPC event (IpcMainInvokeEvent has it). */
export interface CallEvent {
  readonly senderFrame: SenderFrame | null;
  readonly sender: { readonly id: number };
}

/** What the IPC binding needs of the hub (main/app.ts Hub has it). */
interface IpcHub {
  call(method: string, input: unknown, ctx: CallContext): Promise<ApiResult<unknown>>;
  readonly bus: { subscribe(listener: (event: HubEvent) => void): () => void };
}

/**
 * The one call message the preload sends. Strict: a message with anything more is not one the
 * preload wrote. The method name is checked against the contract by the hub itself (NOT_FOUND).
 */
const CallPayloadSchema = z.object({ method: z.string().min(1).max(100), input: z.unknown() }).strict();

const refuse = (code: ApiError['code'], message: string): ApiResult<never> => ({ ok: false, error: { code, message } });

/**
 * Only the app's own top-level page may call the hub: not a subframe (an iframe the page may
 * embed one day, or an injected one), and not a page of another origin the window was somehow
 * navigated to. `frame` is null when the frame has gone away since it sent the message.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  if (!frame) return false;
  return frame.parent === null && isAppUrl(frame.url);
}

/** The session of an Electron window's contents (docs/architecture.md §8). */
export function ipcSession(webContentsId: number): string {
  return `ipc:${webContentsId}`;
}

/** Answer one `hub:call` message: sender first, then the payload's shape, then the hub. */
async function handleCall(hub: Pick<IpcHub, 'call'>, event: CallEvent, payload: unknown): Promise<ApiResult<unknown>> {
  const frame = event.senderFrame;
  if (!frame || !isTrustedSender(frame)) return refuse('FORBIDDEN', 'This page may not call the hub.');
  const parsed = CallPayloadSchema.safeParse(payload);
  if (!parsed.success) return refuse('INPUT_INVALID', 'A hub call is { method, input }.');
  // One session per window: who is signed in in one window is not signed in in another.
  return hub.call(parsed.data.method, parsed.data.input, { binding: 'ipc', session: ipcSession(event.sender.id), sender: { id: event.sender.id, url: frame.url } });
}

/**
 * The Electron IPC binding (docs/architecture.md §10): one `ipcMain.handle` channel for every contract
 * call. Returns the function that removes it.
 */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, hub: Pick<IpcHub, 'call'>): () => void {
  ipcMain.handle(HUB_CALL_CHANNEL, (event, payload: unknown) => handleCall(hub, event, payload));
  return () => ipcMain.removeHandler(HUB_CALL_CHANNEL);
}

/** The app window's contents, as far as event forwarding needs them. */
type EventWindow = Pick<WebContents, 'send' | 'isDestroyed' | 'getURL'> & { readonly id?: number };

/**
 * Push every hub event to the app window, and only while it shows the app: a window that is
 * gone, or (against every rule in window.ts) shows another origin, gets nothing. `stateOf`: the
 * `state` event as the window's own session sees it (replaces the bus's).
 */
export function forwardEvents(bus: IpcHub['bus'], target: EventWindow, stateOf?: (session: string) => HubEvent): () => void {
  return bus.subscribe((message) => {
    if (target.isDestroyed() || !isAppUrl(target.getURL())) return;
    const own = message.event === 'state' && stateOf !== undefined && target.id !== undefined ? stateOf(ipcSession(target.id)) : message;
    target.send(HUB_EVENT_CHANNEL, own);
  });
}
