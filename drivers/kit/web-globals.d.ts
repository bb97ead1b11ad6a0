/* eslint-disable no-var -- ambient globals are declared with `declare var`, as lib.dom.d.ts does */
/**
 * The few web-platform globals drivers use, which every runtime we run on (Node, Electron's
 * renderer, browsers) provides. drivers/ compiles without Node or DOM types (layer rule), so
 * they are declared here, minimal and structurally compatible with both.
 */
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
  throwIfAborted(): void;
}
declare var AbortSignal: { prototype: AbortSignal; abort(reason?: unknown): AbortSignal; any(signals: AbortSignal[]): AbortSignal };
interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
declare var AbortController: { prototype: AbortController; new (): AbortController };
declare function queueMicrotask(callback: () => void): void;
/** UTF-8 text for protocols that carry it (HL7 over MLLP). */
interface TextEncoder {
  encode(input?: string): Uint8Array;
}
declare var TextEncoder: { prototype: TextEncoder; new (): TextEncoder };
interface TextDecoder {
  decode(input?: Uint8Array): string;
}
declare var TextDecoder: { prototype: TextDecoder; new (label?: string, options?: { fatal?: boolean }): TextDecoder };
