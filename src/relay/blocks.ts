/**
 * The rules of blocking, apart from the conversation service: what a block records
 * (the chat's email, lower-cased, and its address key; by address only when the agent
 * chose it), how long it lasts, and which later chats it refuses. A typed email is
 * not an identity: alone it never refuses or ends anyone's chat; it counts only
 * together with the address the blocked chat came from.
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

  /** Records a block of the chat `record`, by the agent `agentId`; returns it. */
  async add(record: ConversationRecord, agentId: string, choice: BlockChoice): Promise<BlockRecord> {
    const t = this.now();
    const block: BlockRecord = {
      id: newId(),
      email: record.email.toLowerCase(),
      address: addressKey(record.ip),
      byAddress: choice.byAddress === true,
      conversationId: record.id,
      agentId,
      ...(choice.comment ? { comment: choice.comment } : {}),
      at: new Date(t).toISOString(),
      expiresAt: new Date(t + this.days * DAY_MS).toISOString(),
    };
    await this.store.addBlock(block);
    return block;
  }

  /** The block that refuses a chat from `email` at `ip`, if any is in force. */
  refusing(email: string, ip: string): Promise<BlockRecord | null> {
    return this.store.findBlock(email.toLowerCase(), addressKey(ip), new Date(this.now()).toISOString());
  }

  /** The same person's other open chats: same email (any case) from the same address. */
  async samePerson(record: ConversationRecord): Promise<ConversationRecord[]> {
    const address = addressKey(record.ip);
    return (await this.store.listOpenByEmail(record.email)).filter((c) => c.id !== record.id && addressKey(c.ip) === address);
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
