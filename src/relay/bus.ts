/**
 * The `Bus`: how news about conversations reaches every socket that should hear it.
 * The relay publishes after the store's group commit; subscribers fan out to sockets.
 * `LocalBus` delivers in-process on a microtask, so a request's reply, sent
 * synchronously, always goes out before the events it caused.
 */
import type { AgentNote, AgentPresence, ConversationSummary, LogEvent } from '../protocol/index.js';

/** Everything that travels on the bus. */
export type BusMessage =
  /** New events of a conversation; `agentIds` are the owners before and after (they hear it unwatched). */
  | { kind: 'events'; conversationId: string; events: LogEvent[]; agentIds: string[] }
  /** A conversation's summary: for every signed-in agent, or, with `agentIds`, only for those agents and its watchers. */
  | { kind: 'summary'; summary: ConversationSummary; agentIds?: string[] }
  /** New messages only (`lastSeq`, `unread`): for every signed-in agent, or, with `agentIds`, those agents and its watchers. */
  | { kind: 'activity'; conversationId: string; lastSeq: number; unread: number; agentIds?: string[] }
  | { kind: 'queue'; conversationId: string; position: number }
  | { kind: 'note'; note: AgentNote; agentIds: string[] }
  | { kind: 'typing'; conversationId: string; side: 'visitor'; on: boolean; agentIds: string[] }
  | { kind: 'typing'; conversationId: string; side: 'agent'; on: boolean; name: string }
  | { kind: 'read'; conversationId: string; side: 'visitor'; upToSeq: number; agentIds: string[] }
  | { kind: 'read'; conversationId: string; side: 'agent'; upToSeq: number }
  | { kind: 'presence'; agent: AgentPresence }
  /** Close the visitor sockets of these conversations with this code (blocks). */
  | { kind: 'close_visitors'; conversationIds: string[]; code: number; reason: string };

/** Publish/subscribe for `BusMessage`s. */
export interface Bus {
  publish(message: BusMessage): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: (message: BusMessage) => void): () => void;
  close(): void;
}

/** The in-process `Bus`: ordered delivery on a microtask; a throwing listener does not stop others. */
export class LocalBus implements Bus {
  private readonly listeners = new Set<(message: BusMessage) => void>();
  private closed = false;

  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  publish(message: BusMessage): void {
    if (this.closed) return;
    queueMicrotask(() => {
      for (const l of this.listeners) {
        try {
          l(message);
        } catch (err) {
          this.onError(err);
        }
      }
    });
  }

  subscribe(listener: (message: BusMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
  }
}
