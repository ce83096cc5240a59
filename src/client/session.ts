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
  constructor(
    private readonly storage: ClientStorage,
    private readonly prefix: string,
  ) {}

  /** The stored value, or `null` when absent or unreadable. */
  read<T>(name: string): T | null {
    try {
      const v = this.storage.getItem(`${this.prefix}:${name}`);
      return v ? (JSON.parse(v) as T) : null;
    } catch {
      return null;
    }
  }

  /** Stores `value`, or removes the entry when it is `null`. */
  write(name: string, value: unknown): void {
    try {
      const key = `${this.prefix}:${name}`;
      if (value === null) this.storage.removeItem(key);
      else this.storage.setItem(key, JSON.stringify(value));
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

/** A version 4 UUID, also where `crypto.randomUUID` is missing (pages served over plain http). */
export function uuid(): string {
  const c = globalThis.crypto;
  if (c.randomUUID) return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 15) | 64;
  b[8] = (b[8]! & 63) | 128;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
