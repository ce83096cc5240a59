/**
 * How many sockets each address holds open (`MAX_SOCKETS_PER_ADDRESS`), so one
 * address cannot take the relay's file descriptors from everyone else. Counted at the
 * upgrade, released at the close; an address with none open is forgotten.
 */
import { MAX_SOCKETS_PER_ADDRESS } from '../protocol/index.js';

/**
 * Connections an address may hold beyond its socket budget, for plain HTTP (uploads,
 * downloads) next to its WebSockets; a WebSocket past the budget still gets its 429.
 */
export const HTTP_HEADROOM = 10;

/** Open sockets per address key. */
export class AddressSockets {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number = MAX_SOCKETS_PER_ADDRESS) {}

  /** Counts one more socket for `key`; false (nothing counted) when it already has `max`. */
  take(key: string): boolean {
    const n = this.open.get(key) ?? 0;
    if (n >= this.max) return false;
    this.open.set(key, n + 1);
    return true;
  }

  /** One socket of `key` closed. */
  release(key: string): void {
    const n = (this.open.get(key) ?? 1) - 1;
    if (n > 0) this.open.set(key, n);
    else this.open.delete(key);
  }

  /** Addresses with sockets open (for tests: nothing is kept for closed ones). */
  get size(): number {
    return this.open.size;
  }
}
