import { Hl7Segment, type AckCode, type Hl7Message } from '@medplum/core';
import { Hl7Server, type Hl7Connection, type Hl7MessageEvent } from '@medplum/hl7';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { Message } from 'node-hl7-client';
import { Server as NodeHl7Server, type Inbound, type InboundRequest, type SendResponse } from 'node-hl7-server';
import { escapeHl7, unescapeHl7 } from '../../main/export/hl7/escape.ts';

/**
 * Two real, independent MLLP receivers for the HL7 exporter's tests (docs/architecture.md §12, docs/export.md §10): Medplum's
 * Hl7Server and node-hl7-server. Both sit on 127.0.0.1 on a free port and behave like an EHR
 * interface engine: they keep what they accepted, treat a repeat of MSH-3+MSH-10 as a
 * duplicate (re-ACKed AA, stored once, docs/export.md §6), and can be told to refuse, stall, hang up
 * or acknowledge with another message's control id.
 */

export interface Hl7PeerBehaviour {
  /** The ACK code for new messages (default AA). AA and CA store the message; AE and AR do not. */
  readonly answer?: 'AA' | 'AE' | 'AR' | 'CA';
  /** MSA-3 and an ERR segment with this text. */
  readonly text?: string;
  /** Wait this long before answering (the message is already stored, as by a slow receiver). */
  readonly delayMs?: number;
  /** Close the connection on receipt, without storing or answering. */
  readonly drop?: boolean;
  /**
   * Acknowledge with another message's control id: MSA-2 is `controlId`, not the received MSH-10
   * (a receiver answering the wrong message, or a late ACK of an earlier one). With `thenRight`
   * the right ACK follows on the same connection; without it the message is never rightly ACKed.
   * The message is stored as the answer code says either way; `code` is the foreign ACK's own
   * code (default: the same as the right one's).
   */
  readonly foreignAck?: { readonly controlId: string; readonly code?: AckCode; readonly thenRight?: boolean };
}

/** A message as the peer's own parser reads it; `field` returns unescaped text. */
export interface PeerMessage {
  readonly raw: string;
  readonly controlId: string;
  /** Component `component` of field `field` of the `occurrence`-th (0-based) segment named `segment`. */
  field(segment: string, field: number, component?: number, occurrence?: number): string;
  count(segment: string): number;
}

export interface Hl7Peer {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Messages received, duplicates and refused ones included. */
  readonly received: number;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Accepted messages, one per MSH-3+MSH-10, in arrival order. */
  accepted(): PeerMessage[];
  setBehaviour(behaviour: Hl7PeerBehaviour): void;
  stop(): Promise<void>;
  /** Listen again on the same port, keeping what was stored. */
  restart(): Promise<void>;
}

/** What the peer decided for one incoming message. */
type Verdict =
  | { readonly action: 'drop' }
  | { readonly action: 'answer'; readonly code: AckCode; readonly text?: string; readonly delayMs: number; readonly foreign?: Hl7PeerBehaviour['foreignAck'] };

/** The receiver logic both stacks share: dedup store, behaviour, counters, pending timers. */
class PeerCore {
  received = 0;
  connections = 0;
  behaviour: Hl7PeerBehaviour = {};
  private readonly store = new Map<string, PeerMessage>();
  private readonly timers = new Set<NodeJS.Timeout>();

  decide(key: string, message: () => PeerMessage): Verdict {
    this.received += 1;
    const b = this.behaviour;
    if (b.drop) return { action: 'drop' };
    const delayMs = b.delayMs ?? 0;
    const foreign = b.foreignAck === undefined ? {} : { foreign: b.foreignAck };
    if (this.store.has(key)) return { action: 'answer', code: 'AA', delayMs, ...foreign }; // a repeat: ACK again, keep once
    const code = b.answer ?? 'AA';
    if (code === 'AA' || code === 'CA') this.store.set(key, message());
    return { action: 'answer', code, delayMs, ...foreign, ...(b.text === undefined ? {} : { text: b.text }) };
  }

  later(delayMs: number, fn: () => void): void {
    if (delayMs <= 0) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, delayMs);
    this.timers.add(timer);
  }

  clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  accepted(): PeerMessage[] {
    return [...this.store.values()];
  }
}

function surface(name: string, core: PeerCore, host: string, port: () => number, stop: () => Promise<void>, restart: () => Promise<void>): Hl7Peer {
  return {
    name,
    host,
    get port() {
      return port();
    },
    get received() {
      return core.received;
    },
    get connections() {
      return core.connections;
    },
    accepted: () => core.accepted(),
    setBehaviour: (b) => {
      core.behaviour = b;
    },
    stop,
    restart,
  };
}

// ---------------------------------------------------------------------------------------------
// Medplum

/** Medplum's parser does not decode escapes (docs/export.md §10), so this view does, with the hub's decoder. */
function medplumView(message: Hl7Message): PeerMessage {
  return {
    raw: message.toString(),
    controlId: unescapeHl7(message.getSegment('MSH')?.getField(10)?.toString() ?? ''),
    field: (segment, field, component = 1, occurrence = 0) => unescapeHl7(message.getAllSegments(segment)[occurrence]?.getField(field)?.getComponent(component) ?? ''),
    count: (segment) => message.getAllSegments(segment).length,
  };
}

/** Medplum's ACK for `message`; with `answers`, MSA-2 names that control id instead of the message's. */
function medplumAck(message: Hl7Message, code: AckCode, text: string | undefined, answers?: string): Hl7Message {
  const err = text === undefined ? undefined : Hl7Segment.parse(`ERR|||207^Application error^HL70357|E||||${escapeHl7(text)}`);
  const ack = message.buildAck(err === undefined ? { ackCode: code } : { ackCode: code, errSegment: err });
  if (text !== undefined) ack.getSegment('MSA')?.setField(3, escapeHl7(text));
  if (answers !== undefined) ack.getSegment('MSA')?.setField(2, escapeHl7(answers));
  return ack;
}

export async function startMedplumPeer(): Promise<Hl7Peer> {
  const core = new PeerCore();
  let port = 0;
  let server: Hl7Server | undefined;

  const onConnection = (conn: Hl7Connection): void => {
    core.connections += 1;
    conn.addEventListener('message', ({ message }: Hl7MessageEvent) => {
      const msh = message.getSegment('MSH');
      const key = `${msh?.getField(3)?.toString()}|${msh?.getField(10)?.toString()}`;
      const verdict = core.decide(key, () => medplumView(message));
      if (verdict.action === 'drop') {
        conn.socket.destroy();
        return;
      }
      core.later(verdict.delayMs, () => {
        if (conn.socket.destroyed) return;
        const foreign = verdict.foreign;
        if (foreign !== undefined) conn.send(medplumAck(message, foreign.code ?? verdict.code, verdict.text, foreign.controlId));
        if (foreign === undefined || foreign.thenRight === true) conn.send(medplumAck(message, verdict.code, verdict.text));
      });
    });
    // Errors on a connection the client closed are expected here (timeouts, drops).
    conn.addEventListener('error', () => {});
  };

  const listen = async (): Promise<void> => {
    const s = new Hl7Server(onConnection);
    // Hl7Server.start takes only a port and listens on every interface; net.Server.listen also
    // takes an options object, which is how the peer stays on loopback.
    s.start({ port, host: '127.0.0.1' } as unknown as number);
    const net = s.server as NetServer;
    if (!net.listening) await new Promise<void>((resolve) => net.once('listening', () => resolve()));
    port = (net.address() as AddressInfo).port;
    server = s;
  };

  const stop = async (): Promise<void> => {
    core.clearTimers();
    const s = server;
    server = undefined;
    // Without forceDrainTimeoutMs, stop waits up to 10 s for clients to hang up (docs/export.md §10).
    await s?.stop({ forceDrainTimeoutMs: 20 });
  };

  await listen();
  return surface('medplum', core, '127.0.0.1', () => port, stop, listen);
}

// ---------------------------------------------------------------------------------------------
// node-hl7-server

/** node-hl7-client decodes escapes itself: this view is independent of the hub's decoder. */
function nodeHl7View(message: Message): PeerMessage {
  const segments = (name: string): Array<ReturnType<Message['get']>> => (message.exists(name) ? message.get(name).toArray() : []);
  return {
    raw: message.toString(),
    controlId: message.get('MSH.10').toString(),
    field: (segment, field, component = 1, occurrence = 0) => segments(segment)[occurrence]?.get(`${field}.${component}`).toString() ?? '',
    count: (segment) => segments(segment).length,
  };
}

/**
 * node-hl7-server's `sendResponse` can answer AA, AE or AR but carries no text, cannot answer
 * CA and always names the message's own MSH-10; for the rest the peer writes an ACK built with
 * node-hl7-client on the same socket. `answers` is MSA-2 (default: the message's MSH-10).
 */
function nodeHl7Ack(message: Message, code: AckCode, text: string | undefined, answers = message.get('MSH.10').toString()): string {
  const ack = new Message({
    text: `MSH|^~\\&|||||${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}||ACK^R01^ACK|A${Date.now()}|P|${message.get('MSH.12').toString()}`,
  });
  ack.set('MSH.3', message.get('MSH.5').toString());
  ack.set('MSH.4', message.get('MSH.6').toString());
  ack.set('MSH.5', message.get('MSH.3').toString());
  ack.set('MSH.6', message.get('MSH.4').toString());
  const msa = ack.addSegment('MSA');
  msa.set('1', code);
  msa.set('2', answers);
  if (text !== undefined) {
    msa.set('3', text);
    const err = ack.addSegment('ERR');
    err.set('3.1', '207');
    err.set('3.2', 'Application error');
    err.set('3.3', 'HL70357');
    err.set('4', 'E');
    err.set('8', text);
  }
  return `\x0b${ack.toString()}\x1c\r`;
}

/** The private listening server of an Inbound (see `rebindToLoopback`). */
const listenerOf = (inbound: Inbound): NetServer => (inbound as unknown as { _socket: NetServer })._socket;

/**
 * node-hl7-server 2.5.0 passes `hostname` (not `host`) to net.Server.listen, so its
 * `bindAddress` is ignored and it listens on every interface. Re-listen on loopback, same port.
 */
async function rebindToLoopback(inbound: Inbound, wantedPort: number): Promise<number> {
  const net = listenerOf(inbound);
  if (!net.listening) await new Promise<void>((resolve) => inbound.once('listen', () => resolve()));
  const port = wantedPort === 0 ? (net.address() as AddressInfo).port : wantedPort;
  await new Promise<void>((resolve) => net.close(() => resolve()));
  await new Promise<void>((resolve, reject) => {
    net.once('error', reject);
    net.listen({ port, host: '127.0.0.1' }, () => {
      net.off('error', reject);
      resolve();
    });
  });
  return port;
}

export async function startNodeHl7Peer(): Promise<Hl7Peer> {
  const core = new PeerCore();
  let port = 0;
  let inbound: Inbound | undefined;
  /**
   * node-hl7-server 2.5.0 never clears its receive buffer: the n-th message on a connection
   * makes it parse all n and call the handler n times. The peer counts frames per socket and
   * skips the stale calls, learning which socket a call belongs to from a data listener that
   * runs just before the library's own.
   */
  const framesSeen = new WeakMap<Socket, number>();
  let current: { socket: Socket; stale: number } | undefined;

  const handler = (req: InboundRequest, res: SendResponse): void => {
    const at = current;
    if (at === undefined) return;
    if (at.stale > 0) {
      at.stale -= 1;
      return;
    }
    const message = req.getMessage();
    const key = `${message.get('MSH.3').toString()}|${message.get('MSH.10').toString()}`;
    const verdict = core.decide(key, () => nodeHl7View(message));
    if (verdict.action === 'drop') {
      at.socket.destroy();
      return;
    }
    core.later(verdict.delayMs, () => {
      if (at.socket.destroyed) return;
      const foreign = verdict.foreign;
      if (foreign !== undefined) {
        at.socket.write(nodeHl7Ack(message, foreign.code ?? verdict.code, verdict.text, foreign.controlId));
        if (foreign.thenRight !== true) return;
      }
      if (verdict.text === undefined && verdict.code !== 'CA' && verdict.code !== 'CE' && verdict.code !== 'CR') void res.sendResponse(verdict.code);
      else at.socket.write(nodeHl7Ack(message, verdict.code, verdict.text));
    });
  };

  const listen = async (): Promise<void> => {
    const ib = new NodeHl7Server({ bindAddress: '127.0.0.1' }).createInbound({ port }, handler);
    ib.on('client.connect', (socket: Socket) => {
      core.connections += 1;
      socket.prependListener('data', (chunk: string | Buffer) => {
        if (!chunk.toString().includes('\x1c')) return;
        const seen = framesSeen.get(socket) ?? 0;
        framesSeen.set(socket, seen + 1);
        current = { socket, stale: seen };
      });
    });
    // Errors from sockets the client closed (timeouts, drops) are expected here.
    ib.on('client.error', () => {});
    ib.on('data.error', () => {});
    port = await rebindToLoopback(ib, port);
    inbound = ib;
  };

  const stop = async (): Promise<void> => {
    core.clearTimers();
    const ib = inbound;
    inbound = undefined;
    if (ib === undefined) return;
    const net = listenerOf(ib);
    const closed = new Promise<void>((resolve) => (net.listening ? net.once('close', () => resolve()) : resolve()));
    await ib.close(); // destroys client sockets and closes the listener
    await closed;
  };

  await listen();
  return surface('node-hl7-server', core, '127.0.0.1', () => port, stop, listen);
}
