/**
 * A `Storage` for the visitor's client that tests can read: a map behind the Web
 * Storage methods, fresh per test, so that what the client keeps (its session, its
 * outbox) can be looked at and tampered with, and no test leaks into the next.
 */

/** A `Storage`-like map; `map` is the test's view of it. */
export function testStorage(): Storage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, String(v)),
    removeItem: (k: string) => void map.delete(k),
  };
}
