/**
 * The chat panel's own state and what its parts share: the form fields, refusals in
 * words and the draft (`ui`), the locale, focus moves, starting a chat, the typing
 * signal (its controller) and the parts that load on first use. The element owns one `Panel`; the parts
 * (pre-chat form, log, composer, menus, prompts) are functions of it, in their own files.
 */
import { adoptStyles, supportsAdoptingStyleSheets } from 'lit';
import type { ChatError, ChatState } from '../client/types.js';
import type { RatingValue } from '../protocol/events.js';
import type { AvailabilityAnswer } from '../protocol/frames.js';
import { MAX_PAGE_URL_LENGTH } from '../protocol/limits.js';
import type { ChatClientLike, ClientController } from './client-controller.js';
import type { Lazy, Part } from './lazy.js';
import type { Identity, ParleyChat } from './parley-chat.js';
import { errorText, resolveLocale, type Locale, type LoadedStrings } from './strings.js';
import type { Parts } from './templates.js';
import { TypingController } from './typing-controller.js';

/** How long after a part failed to load the next render may try again. */
const RETRY_AFTER_MS = 10_000;

/**
 * What the panel keeps besides the client's state: form fields, refusals in words (none
 * until there is one), the draft.
 */
export interface Ui {
  email: string;
  name: string;
  emailError?: string;
  nameError?: string;
  formError?: string;
  busy: boolean;
  draft: string;
  menu: boolean;
  confirm: boolean;
  fileError?: string | Parts;
  error?: string;
  /** The relay's answer to "can someone answer now?", asked when the panel opens before a chat. */
  avail?: AvailabilityAnswer | null;
  /** The leave-a-message form's message and its refusal (leave-message.ts). */
  leave?: string;
  leaveError?: string;
  /** The rating step after the end (rating.ts): the thumb chosen, the comment, sent or skipped. */
  rating?: RatingValue;
  rateNote?: string;
  rated?: 'sent' | 'skipped';
  /** The chat the rating step's state is for (another chat starts it afresh). */
  rateFor?: string | null;
}

export class Panel {
  /** The panel's own state; every change goes through `set`, which re-renders. */
  readonly ui: Ui = {
    email: '',
    name: '',
    busy: false,
    draft: '',
    menu: false,
    confirm: false,
  };
  /** The locale, resolved by the element before each render. */
  loc: Locale = resolveLocale('en');
  readonly host: ParleyChat;
  readonly ctl: ClientController;
  /** The customer's "typing…" signal (typing-controller.ts). */
  readonly typing: TypingController;
  /** The parts on their way, each with the promise `updateComplete` waits for. */
  readonly #loading = new Map<Lazy<Part>, Promise<void>>();
  /** The parts whose styles this element has. */
  readonly #styled = new Set<Part>();
  /** When each part last failed to load (a chunk missing after a deploy, the network). */
  readonly #failed = new Map<unknown, number>();

  constructor(host: ParleyChat, ctl: ClientController) {
    this.host = host;
    this.ctl = ctl;
    this.typing = new TypingController(host, ctl);
  }

  /** The locale's strings. */
  get s(): LoadedStrings {
    return this.loc.strings;
  }

  /** The client's latest state, or `null` before a chat exists. */
  get st(): ChatState | null {
    return this.ctl.state;
  }

  get client(): ChatClientLike | null {
    return this.ctl.client;
  }

  /** Changes the panel's own state and re-renders. */
  set(patch: Partial<Ui>): void {
    Object.assign(this.ui, patch);
    this.host.requestUpdate();
  }

  /** Shows a client error in words (with `more` state changes, e.g. the draft put back). */
  fail(err: unknown, more?: Partial<Ui>): void {
    this.set({ ...more, error: errorText(this.s, err as ChatError) });
  }

  /** The panel's title: the `heading` attribute, else `title` (deprecated), else the locale's. */
  title(): string {
    return this.host.heading || this.host.title || this.s.title;
  }

  /** A control of the shadow tree by id or `data-action`. */
  find(key: string): HTMLElement | null {
    const root = this.host.renderRoot as ShadowRoot | undefined;
    return root?.querySelector<HTMLElement>(`#${key}, [data-action="${key}"]`) ?? null;
  }

  /** Focuses the first of `keys` (ids or `data-action`s) that exists now. */
  focus(...keys: string[]): void {
    for (const key of keys) {
      const el = this.find(key);
      if (el) return el.focus();
    }
  }

  /** Like `focus`, after the pending render. */
  async focusAfter(...keys: string[]): Promise<void> {
    await this.host.updateComplete;
    this.focus(...keys);
  }

  /** Asks the relay whether someone can answer now: the line under the title, and which form shows. */
  ask(): void {
    // Unknown (the relay cannot say): the usual form, without the line.
    this.client?.availability().then(
      (avail) => this.set({ avail }),
      () => {},
    );
  }

  /** Whether nobody can answer now: a chat started is a message left for later. */
  away(): boolean {
    return this.ui.avail?.available === false;
  }

  /**
   * Starts a chat (with `message`: leaves that message for later); puts a refusal into
   * words in place. Returns whether it started.
   */
  async startChat(who: Identity & { message?: string }): Promise<boolean> {
    const { s, host } = this;
    this.set({ busy: true });
    try {
      // The page goes along as `page-url` allows (never the fragment; the query only for
      // `full`) and when the relay can take it (http(s), not too long).
      const url = host.pageUrl === 'full' ? location.href.split('#')[0]! : location.origin + location.pathname;
      const page =
        host.pageUrl !== 'none' && /^https?:/.test(url) && url.length <= MAX_PAGE_URL_LENGTH ? { url, title: document.title } : undefined;
      await this.ctl.ensure().start({ ...who, page, locale: this.loc.lang });
      return true;
    } catch (err) {
      const ce = err as Partial<ChatError>;
      const words = errorText(s, { code: ce.code ?? ('other' as ChatError['code']) });
      this.set(
        host.identity
          ? { error: words }
          : ce.field === 'email'
            ? { emailError: s.badEmail }
            : ce.field === 'name'
              ? { nameError: s.badName }
              : { formError: words },
      );
      return false;
    } finally {
      this.set({ busy: false });
    }
  }

  /**
   * The part `part` if it has loaded; else starts loading it, renders again when it
   * arrives and returns `undefined` (render nothing in its place meanwhile). A failed
   * load is tried again on a render at least RETRY_AFTER_MS later (not on every key).
   */
  use<T extends object>(part: Lazy<T>): T | undefined {
    const m = part.m;
    if (m) {
      const styles = 'styles' in m ? (m as Part).styles : undefined;
      // Its styles join the element's before it first renders here.
      if (styles && !this.#styled.has(m)) {
        this.#styled.add(m);
        const root = this.host.renderRoot as ShadowRoot;
        if (supportsAdoptingStyleSheets) root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles.styleSheet!];
        else adoptStyles(root, [styles]); // appends a <style>, as Lit does where sheets cannot be adopted
      }
    } else if (!this.#loading.has(part) && Date.now() - (this.#failed.get(part) ?? -RETRY_AFTER_MS) >= RETRY_AFTER_MS) {
      const arrived = part()
        .then(
          () => this.host.requestUpdate(),
          () => void this.#failed.set(part, Date.now()),
        )
        .then(() => void this.#loading.delete(part));
      this.#loading.set(part, arrived);
    }
    return m;
  }

  /** Waits for the parts on their way; says whether there were any. */
  async loaded(): Promise<boolean> {
    const waiting = [...this.#loading.values()];
    await Promise.all(waiting);
    return waiting.length > 0;
  }
}
