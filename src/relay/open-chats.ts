/**
 * How many open (queued or active) chats each address has started, so that one
 * address cannot fill every agent's queue (`MAX_OPEN_CHATS_PER_ADDRESS`). Counted in
 * memory by address key, built from the store at start-up and again after a failed
 * commit; a chat counts from its `hello` until it ends.
 */
import { addressKey } from './client-address.js';
import type { Store } from './store.js';

/** Open chats per address key. */
export class OpenChats {
  private readonly open = new Map<string, number>();

  /** The counts as the store has them. */
  static load(store: Store): OpenChats {
    const o = new OpenChats();
    for (const c of store.listConversations(['queued', 'active'])) o.opened(c.ip);
    return o;
  }

  /** A chat from `ip` began. */
  opened(ip: string): void {
    const k = addressKey(ip);
    this.open.set(k, (this.open.get(k) ?? 0) + 1);
  }

  /** A chat from `ip` ended. */
  ended(ip: string): void {
    const k = addressKey(ip);
    const n = (this.open.get(k) ?? 1) - 1;
    if (n > 0) this.open.set(k, n);
    else this.open.delete(k);
  }

  /** Open chats started from `ip`'s address. */
  from(ip: string): number {
    return this.open.get(addressKey(ip)) ?? 0;
  }
}
