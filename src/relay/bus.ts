/**
 * The `Bus`: how news about conversations reaches every socket that should hear it.
 * The relay publishes after the store's commit; subscribers fan out to sockets and
 * keep each relay's caches in step. `LocalBus` serves one relay process; `RedisBus`
 * (bus-redis.ts) carries the same messages between relays.
 */
import { randomUUID } from 'node:crypto';
import type { AgentNote, AgentPresence, ConversationSummary, LogEvent } from '../protocol/index.js';

/** Everything that travels on the bus. */
export type BusMessage =
  /** New events of a conversation; `agentIds` are the owners before and after (they hear it unwatched). */
  | { kind: 'events'; conversationId: string; events: LogEvent[]; agentIds: string[] }
  /** A conversation's summary: for every signed-in agent, or, with `agentIds`, only for those agents and its watchers. */
  | { kind: 'summary'; summary: ConversationSummary; agentIds?: string[] }
  /** New messages only (`lastSeq`, `unread`): for every signed-in agent, or, with `agentIds`, those agents and its watchers. */
  | { kind: 'activity'; conversationId: string; lastSeq: number; unread: number; agentIds?: string[] }
  /** A queued visitor's new position (each relay works out its own: published `onlyHere`). */
  | { kind: 'queue'; conversationId: string; position: number }
  | { kind: 'note'; note: AgentNote; agentIds: string[] }
  | { kind: 'typing'; conversationId: string; side: 'visitor'; on: boolean; agentIds: string[] }
  | { kind: 'typing'; conversationId: string; side: 'agent'; on: boolean; name: string }
  | { kind: 'read'; conversationId: string; side: 'visitor'; upToSeq: number; agentIds: string[] }
  | { kind: 'read'; conversationId: string; side: 'agent'; upToSeq: number }
  /** An agent's status changed on relay `relayId` (first socket in, last out, or a new status there). */
  | { kind: 'presence'; agent: AgentPresence; relayId: string }
  /**
   * Every few seconds, what relay `relayId` has connected: agents with their status and
   * the conversations with a visitor socket. A relay not heard from for a while is gone.
   */
  | { kind: 'heartbeat'; relayId: string; agents: AgentPresence[]; visitors: string[]; at: number }
  /** An agent's status across all relays changed: for this relay's agent sockets (published `onlyHere`). */
  | { kind: 'status'; agent: AgentPresence }
  /** Close the visitor sockets of these conversations with this code (blocks). */
  | { kind: 'close_visitors'; conversationIds: string[]; code: number; reason: string };

/** Where a message came from: this relay, or another relay sharing the bus. */
export type Origin = 'local' | 'remote';

/**
 * Publish/subscribe for `BusMessage`s. A message reaches every relay on the bus, this
 * one too (as `local`), in the order each relay published; with `onlyHere` it stays in
 * this relay. Delivery here waits until the work that published has settled, so a
 * reply sent right after a write goes out before the events that write caused.
 */
export interface Bus {
  /** This relay's id on the bus (random per process). */
  readonly relayId: string;
  /** True when other relays may be on this bus (so a shared database is safe). */
  readonly shared: boolean;
  /** False while this relay cannot hear the others (Redis is away): it must not judge them gone. */
  readonly hearing: boolean;
  publish(message: BusMessage, onlyHere?: boolean): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: (message: BusMessage, origin: Origin) => void): () => void;
  close(): Promise<void>;
}

/** The in-process `Bus` of a relay on its own: ordered delivery after the replies; a throwing listener does not stop others. */
export class LocalBus implements Bus {
  readonly relayId = randomUUID();
  readonly shared = false;
  readonly hearing = true;
  private readonly listeners = new Set<(message: BusMessage, origin: Origin) => void>();
  private closed = false;

  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  private readonly afterReplies = new AfterReplies((m) => deliver(this.listeners, m, 'local', this.onError));

  publish(message: BusMessage): void {
    if (this.closed) return;
    this.afterReplies.push(message);
  }

  subscribe(listener: (message: BusMessage, origin: Origin) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}

/**
 * Messages published while the relay answers frames, handed out together once the
 * promises of that work have settled (a tick, then a microtask at the end of the
 * queue): the replies to the frames go out first, then the events they caused, and all
 * of it leaves each socket in one write, in the same turn of the event loop.
 */
export class AfterReplies {
  private queue: BusMessage[] = [];

  constructor(private readonly handle: (message: BusMessage) => void) {}

  push(message: BusMessage): void {
    this.queue.push(message);
    if (this.queue.length > 1) return;
    process.nextTick(() =>
      queueMicrotask(() => {
        const batch = this.queue;
        this.queue = [];
        for (const m of batch) this.handle(m);
      }),
    );
  }
}

/** Hands one message to every listener; one that throws is reported and the rest still run. */
export function deliver(
  listeners: Iterable<(message: BusMessage, origin: Origin) => void>,
  message: BusMessage,
  origin: Origin,
  onError: (err: unknown) => void,
): void {
  for (const l of listeners) {
    try {
      l(message, origin);
    } catch (err) {
      onError(err);
    }
  }
}
