/**
 * The `<parley-chat>` element: a launcher and a chat panel in shadow DOM that render a
 * `ChatClient`'s state and send the customer's intents to it. It never touches the
 * socket or storage itself, and never turns a string into markup: every piece of
 * text from the chat reaches the DOM through Lit's escaping text bindings. Every
 * string a person typed (names, file names, notes, messages) is bidi-isolated from the
 * text around it, in a `<bdi>` (a message bubble: `dir="auto"`, which isolates too), so
 * a right-to-left override in a name cannot reorder the sentence it sits in.
 *
 * This file keeps the element's properties, lifecycle and public methods, and where
 * focus goes as the panel opens and closes; the launcher is launcher.ts, the panel's
 * state is a `Panel` (panel.ts), each part of the panel is a file of its own
 * (panel-view.ts and the files it names, some loaded on first use), and the client and
 * the typing signal are reactive controllers (client-controller.ts, typing-controller.ts).
 */
// The order of these imports is the order of modules in the widget's file
// (dist/parley-widget-*.js); this one gzips smallest (measured), so keep it when adding one.
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { styles } from './styles.js';
import { MAX_NAME_LENGTH } from '../protocol/limits.js';
import { normalizeEmail } from '../protocol/values.js';
import { devText } from '../protocol/errors.js';
import { ClientController, type ChatClientLike, type ForwardedEvent } from './client-controller.js';
import { ChatClient } from '../client/index.js';
import { resolveLocale, type Strings } from './strings.js';
import { Panel } from './panel.js';
import { panelView } from './panel-view.js';
import { launcher } from './launcher.js';
import { closeMenus } from './end-menu.js';
import { after } from './lazy.js';
import { isLive } from './templates.js';
import type { ChatState } from '../client/types.js';
import type { ParleyEventDetail, ParleyEventName } from './events.js';

/** Who the customer is, when the site already knows (skips the pre-chat form). */
export interface Identity {
  email: string;
  name?: string;
  /** The site's word for it: hex HMAC-SHA256 of the email (trimmed, lower-cased) with the relay's identity secret. */
  signature?: string;
}

/**
 * A customer chat launcher and panel, bound to a Parley relay.
 *
 * @tag parley-chat
 *
 * @attr relay - The relay's base URL (`https://chat.example.com`).
 * @attr heading - The panel's title. Default: the locale's "Support".
 * @attr title - The panel's title when `heading` is not set (deprecated: the browser also
 *   shows it as a tooltip over the whole widget; use `heading`).
 * @attr launcher-label - The launcher's accessible name. Default: "Chat with us".
 * @attr position - `right` (default) or `left`.
 * @attr lang - The language of the widget's strings (`en`, `es`, `de`, `ar`). Default: the page's.
 * @attr theme - `light` (default), `dark` or `auto` (follows `prefers-color-scheme`).
 * @attr open - Present while the panel is open (property `opened`).
 * @attr hide-launcher - Hides the round button; open the panel with `open()`.
 * @attr page-url - How much of the page's address goes to the agent when a chat starts:
 *   `path` (default: origin and path, no query string, which may hold secrets such as
 *   reset tokens), `full` (with the query string; never the fragment) or `none` (no page).
 *
 * @event parley:open - The panel opened.
 * @event parley:close - The panel closed.
 * @event parley:message - A message (either side's) reached the conversation's log; detail: `ChatMessage`.
 * @event parley:claimed - An agent joined; detail: the `claimed` event.
 * @event parley:ended - The chat ended; detail: the `ended` event.
 * @event parley:unread - The unread count changed; detail: `{ count }`.
 *
 * @csspart base - The wrapper of panel and launcher.
 * @csspart launcher - The round button.
 * @csspart badge - The unread count on the launcher.
 * @csspart panel - The chat dialog.
 * @csspart header - The panel's header (title, agent, menu, close).
 * @csspart title - The panel's heading.
 * @csspart agent - The name of the agent in the header.
 * @csspart availability - The line under the title before a chat: whether someone can answer now.
 * @csspart close-button - The header's close button.
 * @csspart menu-button - The header's "More options" button, while a chat goes on.
 * @csspart menu - The menu it opens (End chat).
 * @csspart confirm - The "End this chat?" question and its buttons.
 * @csspart status - The "Reconnecting…" bar.
 * @csspart form - The pre-chat form (or the leave-a-message form when nobody can answer).
 * @csspart sign-in - The line shown instead of the form when the relay requires a verified identity.
 * @csspart log - The message log.
 * @csspart message - Each message (also `message-visitor` or `message-agent`).
 * @csspart notice - Each notice in the log.
 * @csspart file - Each file row in the log.
 * @csspart upload - The upload prompt.
 * @csspart composer - The message box and Send button.
 * @csspart actions - The after-the-end actions.
 * @csspart rating - The "How was this chat?" step after a chat an agent took ended.
 *
 * @cssproperty --parley-accent - Brand colour of launcher, header and own messages. Default `#2f5bea`.
 * @cssproperty --parley-on-accent - Text on the accent colour. Default `#fff`.
 * @cssproperty --parley-bg - Panel background.
 * @cssproperty --parley-fg - Panel text.
 * @cssproperty --parley-surface - Agent bubbles and prompts.
 * @cssproperty --parley-muted - Secondary text: times, delivery states, notices.
 * @cssproperty --parley-border - Borders of fields, prompts and the panel.
 * @cssproperty --parley-danger - Errors and refusals.
 * @cssproperty --parley-font - Font family. Default: the system UI font.
 * @cssproperty --parley-radius - Panel corner radius. Default `14px`.
 * @cssproperty --parley-z-index - Stacking order. Default `2147480000`.
 * @cssproperty --parley-width - Panel width. Default `370px`.
 * @cssproperty --parley-offset - Distance from the viewport's corner. Default `20px`.
 */
export class ParleyChat extends LitElement {
  static override styles = styles;
  // String is Lit's default property type.
  static override properties = {
    relay: {},
    heading: {},
    title: {},
    launcherLabel: { attribute: 'launcher-label' },
    position: { reflect: true },
    lang: {},
    theme: { reflect: true },
    opened: { type: Boolean, reflect: true, attribute: 'open' },
    hideLauncher: { type: Boolean, attribute: 'hide-launcher' },
    pageUrl: { attribute: 'page-url' },
    strings: { attribute: false },
    client: { attribute: false },
    identity: { attribute: false },
  };

  /** The relay's base URL. The element makes its `ChatClient` from it, lazily. */
  declare relay: string;
  /** The panel's title; empty uses `title`, then the locale's. */
  declare heading: string;
  /** The panel's title when `heading` is empty (deprecated: it also draws a tooltip over the widget). */
  declare title: string;
  /** The launcher's accessible name; empty uses the locale's "Chat with us". */
  declare launcherLabel: string;
  /** `right` or `left`. */
  declare position: 'right' | 'left';
  /** The language of the strings; empty follows the page. */
  declare lang: string;
  /** `light`, `dark` or `auto`. */
  declare theme: 'light' | 'dark' | 'auto';
  /** Whether the panel is open (attribute `open`). */
  declare opened: boolean;
  /** Hides the launcher button. */
  declare hideLauncher: boolean;
  /** What of the page's address a new chat sends: `path` (origin + path), `full` (with the query) or `none`. */
  declare pageUrl: 'path' | 'full' | 'none';
  /** Overrides for any string of the locale table. */
  declare strings: Partial<Strings> | null;
  /** A client to use instead of making one from `relay` (apps that drive it, tests). */
  declare client: ChatClientLike | null;
  /** The customer, when the site knows them: set by `identify()`. */
  declare identity: Identity | null;

  #controller: ClientController;
  #panel: Panel;
  #returnFocus: HTMLElement | null = null;
  #focusWasInside = false;
  #rowsShown = 0;
  #onViewport = () => {
    const vv = globalThis.visualViewport;
    if (vv) this.style.setProperty('--parley-vh', `${vv.height}px`);
  };

  constructor() {
    super();
    this.relay = '';
    this.heading = '';
    this.title = '';
    this.launcherLabel = '';
    this.position = 'right';
    this.lang = '';
    this.theme = 'light';
    this.opened = false;
    this.hideLauncher = false;
    this.pageUrl = 'path';
    this.strings = null;
    this.client = null;
    this.identity = null;
    this.#controller = new ClientController(this, () => (this.relay ? new ChatClient({ relay: this.relay }) : null));
    this.#panel = new Panel(this, this.#controller);
  }

  // ---- public API -------------------------------------------------------------

  /** Opens the panel. */
  open(): void {
    this.opened = true;
  }

  /** Closes the panel; focus returns to the launcher if it was inside the widget. */
  close(): void {
    this.opened = false;
  }

  /** Opens a closed panel, closes an open one. */
  toggle(): void {
    this.opened = !this.opened;
  }

  /**
   * Tells the widget who the customer is, so it skips the pre-chat form: the chat
   * starts with the customer's first message. With `signature` (see `Identity`) the
   * relay marks the chat verified, and refuses a wrong one (`unverified`). A chat kept
   * from another email on this browser is left (not shown to this customer). Throws a
   * TypeError for a bad email.
   */
  identify(who: Identity): void {
    const email = normalizeEmail(String(who?.email ?? ''));
    if (!email) throw new TypeError(devText('identify: bad email'));
    const name = String(who.name ?? '').trim().slice(0, MAX_NAME_LENGTH);
    // Someone else on this browser (a shared computer): their chat is not this person's.
    const previous = this.#controller.state?.visitor?.email;
    if (previous && previous !== email) this.#controller.client?.newChat();
    this.identity = { email, name: name || undefined, signature: who.signature || undefined };
  }

  /** Ends the chat, if one is going on. */
  async end(): Promise<void> {
    if (isLive(this.#controller.state)) await this.#controller.client?.end();
  }

  /** The client's current state, or `null` before a chat exists. */
  get chatState(): ChatState | null {
    return this.#controller.state;
  }

  /** The language asked for: the `lang` attribute, else the page's, else the browser's. */
  #wantedLang(): string {
    return this.lang || this.closest('[lang]')?.getAttribute('lang') || globalThis.navigator?.language || 'en';
  }

  // ---- lifecycle ----------------------------------------------------------------

  /**
   * The shadow root may already hold the script tag's loader launcher: Lit renders into
   * an emptied root, so nothing it did not draw stays, and its parts end at the root's
   * end rather than at a node someone else removes later.
   */
  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    this.shadowRoot?.replaceChildren();
    return super.createRenderRoot();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    globalThis.visualViewport?.addEventListener('resize', this.#onViewport);
    // Moved in the DOM: the client made for the old place was let go; resume the stored session.
    if (this.hasUpdated && this.relay && !this.client && !this.#controller.client) this.#controller.tryResume();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    globalThis.visualViewport?.removeEventListener('resize', this.#onViewport);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Read before render removes the panel: was the customer's focus in it?
    if (changed.has('opened') && !this.opened) this.#focusWasInside = !!this.shadowRoot?.activeElement;
    if (changed.has('client')) this.#controller.inject(this.client);
    // A stored session resumes as soon as the element knows its relay; otherwise no client exists.
    if ((changed.has('relay') || changed.has('client')) && !this.client && this.relay && this.isConnected) this.#controller.tryResume();
    // Resolved on every update: a table registered later (the script tag loads them) applies at once.
    this.#panel.loc = resolveLocale(this.#wantedLang(), this.strings);
  }

  protected override updated(changed: PropertyValues<this>): void {
    const panel = this.#panel;
    const st = this.#controller.state;
    // The first render (no old value) announces only an open panel.
    if (changed.has('opened') && (changed.get('opened') !== undefined || this.opened)) {
      this.#emit(this.opened ? 'parley:open' : 'parley:close', null);
      if (this.opened) {
        const active = this.getRootNode() instanceof Document ? document.activeElement : null;
        this.#returnFocus = active instanceof HTMLElement && active !== (this as HTMLElement) ? active : null;
        panel.focus('email', 'message', 'new-chat', 'close');
        // Before a chat: can someone answer now? (the line under the title, which form)
        if ((st?.phase ?? 'idle') == 'idle') panel.ask();
      } else if (this.#focusWasInside) {
        // Focus was inside the panel: hand it back to where the customer came from.
        const target = this.hideLauncher ? this.#returnFocus : panel.find('launcher');
        this.#focusWasInside = false;
        target?.focus();
      }
    }
    if (this.opened && st && st.unread > 0) this.#controller.client?.markRead();
    // Follow new rows (and show the latest on opening), but leave a customer reading back alone.
    const log = panel.find('log');
    const rows = st?.timeline.length ?? 0;
    if (log && (rows !== this.#rowsShown || changed.has('opened'))) log.scrollTop = log.scrollHeight;
    this.#rowsShown = rows;
  }

  /** Resolves once the element has rendered, with the parts that load on first use. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    // A part that arrives renders again: that render belongs to this update.
    while (await this.#panel.loaded()) done = await super.getUpdateComplete();
    return done;
  }

  /** @internal Called by the controller for each forwarded client event. */
  onClientEvent(type: ForwardedEvent, detail: unknown): void {
    this.#emit(`parley:${type}`, detail as never);
  }

  /** @internal Called by the controller with each state snapshot. */
  onClientState(next: ChatState, prev: ChatState | null): void {
    if (next.unread !== (prev?.unread ?? 0)) this.#emit('parley:unread', { count: next.unread });
    // At the end, the after-the-end actions load, panel open or not.
    if (next.phase === 'ended' || next.phase === 'blocked') this.#panel.use(after);
  }

  // ---- rendering ------------------------------------------------------------------

  protected override render(): TemplateResult {
    const panel = this.#panel;
    const { loc } = panel;
    return html`<div class="base" part="base" dir=${loc.dir} lang=${loc.lang} @keydown=${this.#onKey}>
      ${this.opened ? panelView(panel) : nothing} ${this.hideLauncher ? nothing : launcher(panel)}
    </div>`;
  }

  /** Escape closes the menu or the end-chat question first, then the panel. */
  #onKey(e: KeyboardEvent): void {
    if (e.key !== 'Escape' || !this.opened) return;
    e.stopPropagation();
    if (!closeMenus(this.#panel)) this.close();
  }

  #emit<K extends ParleyEventName>(name: K, detail: ParleyEventDetail[K]): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}
