/**
 * What each webhook delivery tells (docs/webhooks.md): its `data`, read from the store
 * as it is sent, so that a delivery row holds only its type, conversation and seqs.
 * `conversation.ended` carries the transcript record; `conversation.offline_message`
 * what a site needs to email the team about a message left; `message.unseen` the agent
 * messages the customer has not read, to email them the answer.
 */
import type { AgentRef, ConversationStatus, LogEvent, PageInfo, TranscriptRecord, Visitor } from '../protocol/index.js';
import { foldLog } from '../protocol/index.js';
import type { DeliveryRecord, Store } from './store.js';
import { recordOf } from './transcript-pages.js';

/** The customer as a delivery names them (as the transcript record does). */
export interface WebhookVisitor {
  email: string;
  name: string | null;
  /** True when the site vouched for the email (`hello.signature`). */
  verified: boolean;
}

/** `conversation.ended`: the transcript record, with its events. */
export interface EndedData {
  transcript: TranscriptRecord;
}

/** `conversation.offline_message`: a message the customer left while nobody could answer. */
export interface OfflineMessageData {
  conversationId: string;
  visitor: WebhookVisitor;
  page: PageInfo | null;
  message: { seq: number; at: string; text: string };
}

/** `message.unseen`: agent messages the customer has not read since they were written. */
export interface UnseenData {
  conversationId: string;
  /** The conversation's status when the delivery is sent. */
  status: ConversationStatus;
  visitor: WebhookVisitor;
  messages: { seq: number; at: string; text: string; agent: AgentRef }[];
}

export type DeliveryData = EndedData | OfflineMessageData | UnseenData;

const visitorOf = (v: Visitor | null, email: string): WebhookVisitor => ({ email: v?.email ?? email, name: v?.name ?? null, verified: v?.verified === true });

/** A chat message of the log, by whom. */
const isMessage = (e: LogEvent, from: 'visitor' | 'agent'): e is Extract<LogEvent, { type: 'message' }> => e.type === 'message' && e.from === from;

/** The `data` of delivery `d`, or null when its conversation is no longer stored (erased). */
export async function deliveryData(store: Store, d: DeliveryRecord): Promise<DeliveryData | null> {
  const c = await store.getConversation(d.conversationId);
  if (!c) return null;
  switch (d.type) {
    case 'conversation.ended': {
      const transcript = await recordOf(store, c);
      return transcript && { transcript };
    }
    case 'conversation.offline_message': {
      // `requested` and the message left with it: the log's first two events.
      const [requested, message] = await store.readEvents(c.id, 0, 2);
      if (requested?.type !== 'requested' || !message || !isMessage(message, 'visitor')) return null;
      return {
        conversationId: c.id,
        visitor: visitorOf(requested.visitor, c.email),
        page: requested.page ?? null,
        message: { seq: message.seq, at: message.at, text: message.text },
      };
    }
    case 'message.unseen': {
      if (!d.batch) return null;
      const { afterSeq, upToSeq } = d.batch;
      const [first, batch] = await Promise.all([store.readEvents(c.id, 0, 1), store.readEvents(c.id, afterSeq, upToSeq - afterSeq)]);
      const state = foldLog(first);
      const messages = batch.filter((e) => isMessage(e, 'agent') && e.seq <= upToSeq) as Extract<LogEvent, { type: 'message' }>[];
      return {
        conversationId: c.id,
        status: c.status,
        visitor: visitorOf(state.visitor, c.email),
        messages: messages.map((m) => ({ seq: m.seq, at: m.at, text: m.text, agent: m.agent ?? { id: '', name: '' } })),
      };
    }
  }
}
