/**
 * How the tabs of one browser keep in step: each tells the others when it changed the
 * stored session or outbox, through a BroadcastChannel or, where there is none, through
 * the `storage` events that another tab's writes raise. What to do on hearing it is
 * `ChatClient`'s (it reads storage again); nothing here reads or writes storage.
 */

/** A link to the other tabs: `tell` them of a change, `close` the link. */
export interface TabLink {
  tell(): void;
  close(): void;
}

/** Links this tab to the others under `key`; `heard` runs when another tab changed something. */
export function linkTabs(key: string, heard: () => void): TabLink {
  if (typeof BroadcastChannel == 'function') {
    const channel = new BroadcastChannel(key);
    channel.onmessage = heard;
    return {
      tell: () => {
        try {
          channel.postMessage(1);
        } catch {
          /* closed */
        }
      },
      close: () => channel.close(),
    };
  }
  const onStorage = (e: StorageEvent) => e.key?.startsWith(`${key}:`) && heard();
  globalThis.addEventListener?.('storage', onStorage);
  return { tell() {}, close: () => globalThis.removeEventListener?.('storage', onStorage) };
}
