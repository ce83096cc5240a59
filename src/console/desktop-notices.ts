/**
 * Desktop notifications through the browser's Notification API: whether the agent has
 * allowed them, asking once they press the button (browsers only ask in answer to a
 * click), and showing one, replacing the last one about the same chat. A browser
 * without the API, or a page not allowed to use it, shows nothing and says so.
 */

/** Where the agent stands with notifications; `unsupported` when the browser has none. */
export type NoticePermission = 'default' | 'granted' | 'denied' | 'unsupported';

/** What is used of the `Notification` constructor: a structural subset, so tests can fake it. */
export interface NotificationCtor {
  new (title: string, options?: { body?: string; tag?: string }): { onclick: ((ev: Event) => unknown) | null; close(): void };
  readonly permission: 'default' | 'granted' | 'denied';
  requestPermission(): Promise<'default' | 'granted' | 'denied'>;
}

/** One notification to show. */
export interface Notice {
  title: string;
  body: string;
  /** Notices with the same tag replace each other (one per chat). */
  tag: string;
  onClick?: () => void;
}

/** The Notification API, or nothing. */
export class DesktopNotices {
  /** `NotificationCtor` defaults to the browser's `Notification`; without one, nothing is ever shown. */
  constructor(private readonly Ctor: NotificationCtor | undefined = globalThis.Notification) {}

  /** Whether notifications may be shown now. */
  get permission(): NoticePermission {
    return typeof this.Ctor === 'function' ? this.Ctor.permission : 'unsupported';
  }

  /** Asks the browser (call it from a click); resolves with the answer. Never rejects. */
  async request(): Promise<NoticePermission> {
    if (typeof this.Ctor !== 'function') return 'unsupported';
    try {
      return await this.Ctor.requestPermission();
    } catch {
      return this.permission;
    }
  }

  /** Shows a notice when allowed; returns whether it was shown. */
  show(n: Notice): boolean {
    if (this.permission !== 'granted' || !this.Ctor) return false;
    try {
      const shown = new this.Ctor(n.title, { body: n.body, tag: n.tag });
      shown.onclick = () => {
        shown.close();
        n.onClick?.();
      };
      return true;
    } catch {
      // Some browsers allow notifications only from a service worker: then none.
      return false;
    }
  }
}
