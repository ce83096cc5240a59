/**
 * The hooks that bind Preact components to plain objects: the stores' snapshots (the
 * chats', the History view's, the files being sent, the alerts' switches) and a ticking
 * clock (for waiting times and countdowns). Nothing else in the console subscribes by hand.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AlertsState, ConsoleAlerts } from './alerts.js';
import type { ChatFiles, FileSends } from './chat-files.js';
import type { ConsoleState } from './console-state.js';
import type { HistoryState } from './history-state.js';
import type { HistoryStore } from './history-store.js';
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

/** The History store's current snapshot; re-renders on every change. */
export function useHistoryState(history: Pick<HistoryStore, 'state' | 'subscribe'>): HistoryState {
  const [state, setState] = useState(history.state);
  useEffect(() => {
    setState(history.state);
    return history.subscribe(setState);
  }, [history]);
  return state;
}

/** The files on their way to customers (or refused), by chat; re-renders on every change. */
export function useFileSends(files: Pick<ChatFiles, 'state' | 'subscribe'>): FileSends {
  const [state, setState] = useState(files.state);
  useEffect(() => {
    setState(files.state);
    return files.subscribe(setState);
  }, [files]);
  return state;
}

/** The alerts' switches (sound, desktop notifications); re-renders on every change. */
export function useAlertsState(alerts: Pick<ConsoleAlerts, 'state' | 'subscribe'>): AlertsState {
  const [state, setState] = useState(alerts.state);
  useEffect(() => {
    setState(alerts.state);
    return alerts.subscribe(setState);
  }, [alerts]);
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
