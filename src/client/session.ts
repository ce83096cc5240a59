/**
 * What survives a reload: the session (`token`, `conversationId`, `lastSeq`, read mark)
 * and the unacknowledged outbox, as JSON under one key prefix. Storage failures (quota,
 * privacy modes) are swallowed: the chat goes on in memory.
 */
import type { ChatError, ClientStorage, Delivery } from './types.js';

/** The stored session of one conversation. */
export interface StoredSession {
  token: string;
  conversationId: string;
  /** The highest seq this browser has seen. */
  lastSeq: number;
  /** Agent messages up to this seq count as read. */
  readSeq: number;
}

/** A message the relay has not yet logged. `tab` is the client instance that sends it. */
export interface OutboxEntry {
  clientId: string;
  text: string;
  at: string;
  delivery: Delivery;
  tab: string;
  seq?: number;
  error?: ChatError;
}

/** Reads and writes one JSON value per name under `prefix:`. */
export class SessionStore {
  readonly #storage: ClientStorage;
  readonly #prefix: string;

  constructor(storage: ClientStorage, prefix: string) {
    this.#storage = storage;
    this.#prefix = prefix;
  }

  /** The stored value, or `null` when absent or unreadable. */
  read<T>(name: string): T | null {
    try {
      const v = this.#storage.getItem(`${this.#prefix}:${name}`);
      return v ? (JSON.parse(v) as T) : null;
    } catch {
      return null;
    }
  }

  /**
   * The stored session, or `null` when there is none or it is not one (storage is
   * shared with the site's own code and older versions: it is untrusted input).
   */
  session(): StoredSession | null {
    const v = this.read<StoredSession>('session');
    return typeof v?.token == 'string' && v.conversationId ? v : null;
  }

  /** The stored outbox, keeping only well-formed entries. */
  outbox(): OutboxEntry[] {
    const v = this.read<OutboxEntry[]>('outbox');
    return Array.isArray(v) ? v.filter((e) => e?.clientId && e.text && e.at) : [];
  }

  /** Stores `value`, or removes the entry when it is `null`. */
  write(name: string, value: unknown): void {
    try {
      const key = `${this.#prefix}:${name}`;
      if (value === null) this.#storage.removeItem(key);
      else this.#storage.setItem(key, JSON.stringify(value));
    } catch {
      /* storage full or denied: keep going in memory */
    }
  }
}

/** A storage that lives as long as the page (used where `localStorage` is missing or denied). */
export function memoryStorage(): ClientStorage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, String(v)),
    removeItem: (k) => void m.delete(k),
  };
}
