/**
 * Which open (queued or active) chats each address has started, so that one address
 * cannot fill every agent's queue (`MAX_OPEN_CHATS_PER_ADDRESS`); the same for the
 * messages left waiting for an agent (`MAX_LEFT_MESSAGES_PER_ADDRESS`). Kept in memory
 * by address key, built from the store at start-up and kept in step with every commit,
 * this relay's or another's; a chat counts from its `hello` until it ends (a message
 * left, until an agent takes it). Marking a chat open or ended twice changes nothing, so
 * news heard twice is harmless. A `hello` holds its place while its checks and its commit
 * wait (`hold`), so hellos racing from one address cannot pass the limit together.
 */
import { addressKey } from './client-address.js';
import type { ConversationRecord, Store } from './store.js';

/** Open chats per address key. */
export class OpenChats {
  private readonly byAddress = new Map<string, Set<string>>();
  private readonly addressOf = new Map<string, string>();

  private holds = 0;

  /** The open chats as the store has them (`which`: those of them to count). */
  static async load(store: Store, which: (c: ConversationRecord) => boolean = () => true): Promise<OpenChats> {
    const o = new OpenChats();
    for (const c of await store.listConversations(['queued', 'active'])) if (which(c)) o.opened(c.id, c.ip);
    return o;
  }

  /**
   * Holds a place for a chat about to be made from `ip`, or null when its address has
   * `limit` already. Call the function returned once the chat is made (it counts by its
   * own id by then) or refused.
   */
  hold(ip: string, limit: number): (() => void) | null {
    if (this.from(ip) >= limit) return null;
    const id = `hold ${++this.holds}`;
    this.opened(id, ip);
    return () => this.ended(id);
  }

  /** Chat `id` from `ip` is open. */
  opened(id: string, ip: string): void {
    if (this.addressOf.has(id)) return;
    const k = addressKey(ip);
    this.addressOf.set(id, k);
    let set = this.byAddress.get(k);
    if (!set) this.byAddress.set(k, (set = new Set()));
    set.add(id);
  }

  /** Chat `id` ended. */
  ended(id: string): void {
    const k = this.addressOf.get(id);
    if (k === undefined) return;
    this.addressOf.delete(id);
    const set = this.byAddress.get(k);
    set?.delete(id);
    if (set?.size === 0) this.byAddress.delete(k);
  }

  /** Open chats started from `ip`'s address. */
  from(ip: string): number {
    return this.byAddress.get(addressKey(ip))?.size ?? 0;
  }
}
