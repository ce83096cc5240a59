/**
 * Starting a conversation (`hello`): a live chat, stored with its `requested` event; or
 * a message left while nobody could answer (`hello.message`), stored in one commit as
 * `requested {offline: true}` and the customer's message, with its
 * `conversation.offline_message` webhook delivery when a webhook is configured. The
 * message counts against the customer's message limits as a `send` would. Either way
 * the new chat is cached, other relays hear of it, and it takes its place: in the live
 * queue, or in the queue's line of messages left (`queue-order.ts`).
 */
import { randomUUID } from 'node:crypto';
import type { EventBody, LogEvent, PageInfo, Visitor } from '../protocol/index.js';
import type { Bus } from './bus.js';
import { addressKey } from './client-address.js';
import type { ConversationCache } from './conversation-cache.js';
import type { ConversationLog, DeliveriesStored } from './conversation-log.js';
import { done, fail, type Outcome } from './errors.js';
import { hashToken, newId, newToken } from './ids.js';
import type { Limiter } from './limiter.js';
import type { Presence } from './presence.js';
import type { ConversationRecord, Store } from './store.js';
import { offlineMessageDelivery } from './webhooks.js';

/** What starting a conversation reads and writes. */
export interface StartParts {
  store: Store;
  cache: ConversationCache;
  presence: Presence;
  bus: Bus;
  log: () => ConversationLog;
  now: () => number;
  /** The customer's message limits (`send`'s): per conversation, and bytes per address. */
  messageRate: Limiter;
  visitorBytes: Limiter;
  /** Set when a webhook is configured: a message left then stores its delivery, and this is told. */
  deliveriesStored: DeliveriesStored | null;
}

/** A conversation just stored: its id, its secret token, and its first events. */
export interface Started {
  id: string;
  token: string;
  events: LogEvent[];
}

/** Makes new conversations, in the order they came. */
export class ConversationStarts {
  /** The creation time (ms) of the last conversation made here. */
  private lastCreated = 0;

  constructor(private readonly p: StartParts) {}

  /**
   * Stores a new conversation from `ip` and returns its token; with `message`, the
   * customer left it for the team (`offline`). `rate_limited` when the message passes
   * the customer's limits. The caller attaches the visitor's socket next.
   */
  async start(visitor: Visitor, page: PageInfo | undefined, ip: string, message?: string): Promise<Outcome<Started>> {
    const { store, cache, presence, bus } = this.p;
    const id = newId();
    const offline = message !== undefined;
    if (offline) {
      if (!(await this.p.messageRate.hit(id))) return fail('rate_limited', 'too many messages; wait a few seconds');
      if (!(await this.p.visitorBytes.hit(addressKey(ip), Buffer.byteLength(message)))) {
        return fail('rate_limited', 'too much text from this address; wait a minute');
      }
    }
    const token = newToken();
    const body: Extract<EventBody, { type: 'requested' }> = { type: 'requested', visitor, ...(page ? { page } : {}), ...(offline ? { offline: true } : {}) };
    const then: EventBody[] = offline ? [{ type: 'message', from: 'visitor', text: message, clientId: randomUUID() }] : [];
    // Creation times are the queue's order: strictly increasing here, so chats asked
    // for in one millisecond keep the order they came in.
    const at = new Date((this.lastCreated = Math.max(this.p.now(), this.lastCreated + 1))).toISOString();
    const deliveries = offline && this.p.deliveriesStored ? [offlineMessageDelivery(id, at)] : [];
    const tokenHash = hashToken(token);
    const first = await store.createConversation({ id, tokenHash, email: visitor.email, ip }, body, at, { then, deliveries });
    const events = [first, ...then.map((b, i) => ({ ...b, seq: 2 + i, at }) as LogEvent)];
    if (deliveries.length > 0) this.p.deliveriesStored?.();
    const record: ConversationRecord = {
      id,
      tokenHash,
      email: visitor.email,
      ip,
      createdAt: at,
      status: 'queued',
      ownerId: null,
      lastSeq: events.length,
      agentReadSeq: 0,
      ...(offline ? { offline: true as const } : {}),
    };
    cache.created(record, events);
    presence.visitorSeen(id);
    // Other relays learn of it (their queues); no summary yet: the visitor's socket
    // attaches next (`visitorAttached`), and that one summary tells every agent.
    bus.publish({ kind: 'events', conversationId: id, events, agentIds: [] });
    this.p.log().settle(id, 'queued', ip, at, offline);
    return done({ id, token, events });
  }
}
