/**
 * The rules of blocking, apart from the conversation service: what a block records
 * (the chat's email, lower-cased, and its address key; by address only when the agent
 * chose it; whether the customer was verified), how long it lasts, and which later
 * chats it refuses. A typed email is not an identity: alone it never refuses or ends
 * anyone's chat; it counts only together with the address the blocked chat came from.
 * An email the site vouched for (`verified`, the identity signature) is one: a block of
 * a verified chat also refuses that email's later verified chats, and ends its other
 * open verified chats, from any address; never an unverified chat elsewhere.
 */
import { BLOCK_DAYS } from '../protocol/index.js';
import { addressKey } from './client-address.js';
import { newId } from './ids.js';
import type { BlockRecord, ConversationRecord, Store } from './store.js';

const DAY_MS = 86_400_000;

/** What the agent decided in the block dialog. */
export interface BlockChoice {
  comment?: string;
  /** Refuse everyone behind the chat's address, not only this person there. */
  byAddress?: boolean;
}

/** Blocks over a store, with the relay's clock. */
export class Blocks {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly days: number = BLOCK_DAYS,
  ) {}

  /** Records a block of the chat `record` (its customer `verified` or not), by the agent `agentId`; returns it. */
  async add(record: ConversationRecord, agentId: string, choice: BlockChoice, verified = false): Promise<BlockRecord> {
    const t = this.now();
    const block: BlockRecord = {
      id: newId(),
      email: record.email.toLowerCase(),
      address: addressKey(record.ip),
      byAddress: choice.byAddress === true,
      ...(verified ? { verified: true as const } : {}),
      conversationId: record.id,
      agentId,
      ...(choice.comment ? { comment: choice.comment } : {}),
      at: new Date(t).toISOString(),
      expiresAt: new Date(t + this.days * DAY_MS).toISOString(),
    };
    await this.store.addBlock(block);
    return block;
  }

  /** The block that refuses a chat from `email` at `ip` (`verified` or not), if any is in force. */
  refusing(email: string, ip: string, verified = false): Promise<BlockRecord | null> {
    return this.store.findBlock(email.toLowerCase(), addressKey(ip), new Date(this.now()).toISOString(), verified);
  }

  /**
   * The other open chats that may be the blocked person's: the same email (any case).
   * Which of them are is for `samePerson` to say, on each one's state.
   */
  async sameEmail(block: BlockRecord): Promise<ConversationRecord[]> {
    return (await this.store.listOpenByEmail(block.email)).filter((c) => c.id !== block.conversationId);
  }

  /**
   * The messages left waiting for an agent from a by-address block's address, besides
   * the blocked chat: ended with it, as they never end by themselves. (Live chats there,
   * such as colleagues' behind an office's address, go on.)
   */
  async leftAt(block: BlockRecord): Promise<ConversationRecord[]> {
    const queued = block.byAddress ? await this.store.listConversations(['queued']) : [];
    return queued.filter((c) => c.offline === true && c.id !== block.conversationId && addressKey(c.ip) === block.address);
  }

  /**
   * Whether the chat `other` (with the block's email; its customer `verified` or not) is
   * the blocked person's: from the blocked chat's address, or, when both were verified,
   * from anywhere.
   */
  samePerson(block: BlockRecord, other: ConversationRecord, verified: boolean): boolean {
    return addressKey(other.ip) === block.address || (block.verified === true && verified);
  }

  /** Blocks in force, newest first. */
  list(): Promise<BlockRecord[]> {
    return this.store.listBlocks(new Date(this.now()).toISOString());
  }

  /** Lifts a block; false when there is none with that id. */
  remove(id: string): Promise<boolean> {
    return this.store.removeBlock(id);
  }
}
