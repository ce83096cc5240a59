/**
 * The two hooks that bind Preact components to plain objects: the store's snapshot and
 * a ticking clock (for waiting times). Nothing else in the console subscribes by hand.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleState } from './console-state.js';
import type { ConsoleStore } from './store.js';

/** The store's current snapshot; re-renders on every change. */
export function useConsoleState(store: ConsoleStore): ConsoleState {
  const [state, setState] = useState(store.state);
  useEffect(() => {
    setState(store.state);
    return store.subscribe(setState);
  }, [store]);
  return state;
}

/** `Date.now()`, refreshed every `intervalMs` (default 1 s). */
export function useNow(intervalMs = 1000, clock: () => number = Date.now): number {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    const t = setInterval(() => setNow(clock()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs, clock]);
  return now;
}
