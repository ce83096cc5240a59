/**
 * The console's alerts: when the store's snapshot brings news for an agent whose tab
 * is hidden or who looks at another chat (`alert-news.ts`), a short sound plays (unless
 * the agent switched it off; the switch is kept in storage) and, once the agent has
 * allowed them, a desktop notification per chat is shown (a click on it opens the
 * chat). The sound, the notifications and the storage are injected, so this runs on
 * fakes in tests. The tab title is the app's (`attentionCount`); nothing here renders.
 */
import { newsBetween, type News } from './alert-news.js';
import type { Chime } from './chime.js';
import type { ConsoleState } from './console-state.js';
import type { DesktopNotices, NoticePermission } from './desktop-notices.js';
import { Snapshot } from './snapshot.js';
import { newsNotice } from './words.js';

/** Where the sound switch is kept (`localStorage`). */
export type SettingStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The storage key of the sound switch ("off" when off). */
export const SOUND_KEY = 'parley.console.sound';

/** What the alerts' controls show. */
export interface AlertsState {
  /** The sound plays (on unless switched off). */
  sound: boolean;
  notifications: NoticePermission;
}

/** Options of `ConsoleAlerts`; all but `store` default to nothing (silent). */
export interface AlertsOptions {
  /** The console store: its snapshots are watched, and a notification's click opens its chat. */
  store: { readonly state: ConsoleState; subscribe(fn: (s: ConsoleState) => void): () => void; select(id: string | null): void };
  /** Plays the sound; default: none. */
  chime?: Chime | null;
  /** Shows desktop notifications; default: none. */
  notices?: DesktopNotices | null;
  /** Keeps the sound switch; default: none (on, in memory). */
  storage?: SettingStorage | null;
  /** Brings the console's window forward on a notification's click; default: nothing. */
  focus?: () => void;
  /** Default `Date.now`. */
  clock?: () => number;
  /** The sound plays at most once in this many ms, however much news comes; default 1,500. */
  quietMs?: number;
}

/** At most this many notifications at once; more news becomes one notice that counts it. */
const MAX_NOTICES = 3;

function readSound(storage: SettingStorage | null): boolean {
  try {
    return storage?.getItem(SOUND_KEY) !== 'off';
  } catch {
    return true;
  }
}

/** Watches a console store and alerts its agent. Call `destroy()` when done (idempotent). */
export class ConsoleAlerts {
  private readonly snapshot: Snapshot<AlertsState>;
  private readonly unsubscribe: () => void;
  private last: ConsoleState;
  private lastSound = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: AlertsOptions) {
    if (!options?.store) throw new TypeError('ConsoleAlerts: store is required');
    this.snapshot = new Snapshot<AlertsState>({
      sound: readSound(options.storage ?? null),
      notifications: options.notices?.permission ?? 'unsupported',
    });
    this.last = options.store.state;
    this.unsubscribe = options.store.subscribe((s) => this.heard(s));
  }

  /** The controls' current state. */
  get state(): AlertsState {
    return this.snapshot.value;
  }

  /** Calls `fn` after every change; returns the function that unsubscribes. */
  subscribe(fn: (s: AlertsState) => void): () => void {
    return this.snapshot.subscribe(fn);
  }

  /** Switches the sound on or off, and keeps the choice. */
  setSound(on: boolean): void {
    try {
      this.options.storage?.setItem(SOUND_KEY, on ? 'on' : 'off');
    } catch {
      // A full or refused storage keeps the choice for this tab only.
    }
    this.snapshot.replace({ ...this.state, sound: on });
  }

  /** Asks the browser to allow desktop notifications (call it from a click). */
  async enableNotifications(): Promise<void> {
    if (!this.options.notices) return;
    const notifications = await this.options.notices.request();
    this.snapshot.replace({ ...this.state, notifications });
  }

  /** Stops watching the store. Safe to call twice. */
  destroy(): void {
    this.unsubscribe();
    this.snapshot.clear();
  }

  private heard(next: ConsoleState): void {
    const news = newsBetween(this.last, next);
    this.last = next;
    if (news.length === 0) return;
    const now = (this.options.clock ?? Date.now)();
    if (this.state.sound && this.options.chime && now - this.lastSound >= (this.options.quietMs ?? 1500)) {
      this.lastSound = now;
      this.options.chime.play();
    }
    this.notify(news);
  }

  private notify(news: News[]): void {
    const notices = this.options.notices;
    if (!notices || notices.permission !== 'granted') return;
    const open = (id: string) => () => {
      this.options.focus?.();
      this.options.store.select(id);
    };
    if (news.length > MAX_NOTICES) {
      notices.show({ title: `${news.length} chats need you`, body: 'Open the Parley console to answer them.', tag: 'parley-many', onClick: () => this.options.focus?.() });
      return;
    }
    for (const n of news) notices.show({ ...newsNotice(n), tag: `parley-${n.chatId}`, onClick: open(n.chatId) });
  }
}
