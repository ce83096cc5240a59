/**
 * The `<parley-chat>` element: a launcher and a chat panel in shadow DOM that render a
 * `ChatClient`'s state and send the customer's intents to it. It never touches the
 * socket or storage itself, and never turns a string into markup: every piece of
 * text from the chat reaches the DOM through Lit's escaping text bindings. Every
 * string a person typed (names, file names, notes, messages) is bidi-isolated from the
 * text around it, in a `<bdi>` (a message bubble: `dir="auto"`, which isolates too), so
 * a right-to-left override in a name cannot reorder the sentence it sits in.
 */
// The order of these imports is the order of modules in dist/parley.js; this one gzips
// smallest (measured), so keep it when adding one.
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { styles } from './styles.js';
import { chatIcon, closeIcon, moreIcon } from './icons.js';
import { charLength, formatBytes, MAX_NAME_LENGTH, MAX_PAGE_URL_LENGTH, MAX_TEXT_LENGTH, normalizeEmail } from '../protocol/index.js';
import { linkify } from './linkify.js';
import { ClientController, type ChatClientLike, type ForwardedEvent } from './client-controller.js';
import { ChatClient } from '../client/index.js';
import { errorText, format, resolveLocale, type Locale, type Strings } from './strings.js';
import { noticeText } from './notices.js';
import { saveBlob, saveText, transcriptText } from './transcript.js';
import type { ChatError, ChatMessage, ChatState, TimelineItem } from '../client/types.js';
import type { ParleyEventDetail, ParleyEventName } from './events.js';

/** Who the customer is, when the site already knows (skips the pre-chat form). */
export interface Identity {
  email: string;
  name?: string;
}

/** What the panel keeps besides the client's state: form fields, refusals in words, the draft. */
interface Ui {
  email: string;
  name: string;
  emailError: string;
  nameError: string;
  formError: string;
  busy: boolean;
  draft: string;
  menu: boolean;
  confirm: boolean;
  fileError: string | Parts;
  error: string;
}

/** How near the 4,000-character limit the counter appears. */
const COUNTER_FROM = MAX_TEXT_LENGTH - 400;
/** How long after the last keystroke "typing" turns off. */
const TYPING_IDLE_MS = 3000;

/** A log time in the widget's language: "2:05 PM", "14:05". */
function timeOf(at: string, lang: string): string {
  return new Date(at).toLocaleTimeString(lang, { hour: 'numeric', minute: '2-digit' });
}

/** Whether a chat is going on: waiting in the queue or with an agent. */
function isLive(st: ChatState | null): boolean {
  return st?.phase === 'queued' || st?.phase === 'active';
}

/** A button that names its intent in `data-action` (focus moves and tests find it by that). */
function button(cls: string, action: string, onClick: (e: Event) => void, label: string): TemplateResult {
  return html`<button class=${cls} data-action=${action} @click=${onClick}>${label}</button>`;
}

/** A refusal or failure in words, announced at once; nothing when there is none. */
function errorLine(text: string | Parts): TemplateResult | typeof nothing {
  return text ? html`<p class="error" role="alert">${text}</p>` : nothing;
}

/** A sentence with text and isolated names: what `fill` returns. */
type Parts = (string | TemplateResult)[];

/**
 * `format` for the DOM: each value filled in sits in its own `<bdi>`, so its bidi
 * controls stay inside it. Unknown placeholders stay as written, as with `format`.
 */
function fill(template: string, vars: Record<string, string>): Parts {
  // split() with a capturing group puts the placeholder names at the odd indexes.
  return template.split(/\{(\w+)\}/).map((p, i) => (i % 2 ? html`<bdi>${vars[p] ?? `{${p}}`}</bdi>` : p));
}

/** One line of the log that is not a message: queue position, claims, the end. */
function notice(text: string | Parts): TemplateResult {
  return html`<p class="notice" part="notice">${text}</p>`;
}

/**
 * A customer chat launcher and panel, bound to a Parley relay.
 *
 * @attr relay - The relay's base URL (`https://chat.example.com`).
 * @attr title - The panel's title. Default: the locale's "Support".
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
 * @csspart close-button - The header's close button.
 * @csspart status - The "Reconnecting…" bar.
 * @csspart form - The pre-chat form.
 * @csspart log - The message log.
 * @csspart message - Each message (also `message-visitor` or `message-agent`).
 * @csspart notice - Each notice in the log.
 * @csspart file - Each file row in the log.
 * @csspart upload - The upload prompt.
 * @csspart composer - The message box and Send button.
 * @csspart actions - The after-the-end actions.
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
 * @cssproperty --parley-z-index - Stacking order. Default `2147483000`.
 * @cssproperty --parley-width - Panel width. Default `370px`.
 * @cssproperty --parley-offset - Distance from the viewport's corner. Default `20px`.
 */
export class ParleyChat extends LitElement {
  static override styles = styles;
  // String is Lit's default property type.
  static override properties = {
    relay: {},
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
  /** The panel's title; empty uses the locale's. */
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

  /** The panel's own state; every change goes through `#set`, which re-renders. */
  #ui: Ui = {
    email: '',
    name: '',
    emailError: '',
    nameError: '',
    formError: '',
    busy: false,
    draft: '',
    menu: false,
    confirm: false,
    fileError: '',
    error: '',
  };
  #ctl: ClientController;
  #loc: Locale = resolveLocale('en');
  #lastFile: File | null = null;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  #typingOn = false;
  #returnFocus: HTMLElement | null = null;
  #focusWasInside = false;
  #rows = 0;
  #onViewport = () => {
    const vv = globalThis.visualViewport;
    if (vv) this.style.setProperty('--parley-vh', `${vv.height}px`);
  };

  constructor() {
    super();
    this.relay = '';
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
    this.#ctl = new ClientController(this, () => (this.relay ? new ChatClient({ relay: this.relay }) : null));
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
   * starts with the customer's first message. A chat kept from another email on this
   * browser is left (not shown to this customer). Throws a TypeError for a bad email.
   */
  identify(who: Identity): void {
    const email = normalizeEmail(String(who?.email ?? ''));
    if (!email) throw new TypeError('identify: bad email');
    const name = String(who.name ?? '').trim().slice(0, MAX_NAME_LENGTH);
    // Someone else on this browser (a shared computer): their chat is not this person's.
    const previous = this.#ctl.state?.visitor?.email;
    if (previous && previous !== email) this.#ctl.client?.newChat();
    this.identity = name ? { email, name } : { email };
  }

  /** Ends the chat, if one is going on. */
  async end(): Promise<void> {
    if (isLive(this.#ctl.state)) await this.#ctl.client?.end();
  }

  /** The client's current state, or `null` before a chat exists. */
  get chatState(): ChatState | null {
    return this.#ctl.state;
  }

  // ---- lifecycle ----------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    globalThis.visualViewport?.addEventListener('resize', this.#onViewport);
    // Moved in the DOM: the client made for the old place was let go; resume the stored session.
    if (this.hasUpdated && this.relay && !this.client && !this.#ctl.client) this.#ctl.tryResume();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    globalThis.visualViewport?.removeEventListener('resize', this.#onViewport);
    this.#stopTyping();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Read before render removes the panel: was the customer's focus in it?
    if (changed.has('opened') && !this.opened) this.#focusWasInside = !!this.shadowRoot?.activeElement;
    if (changed.has('client')) this.#ctl.inject(this.client);
    // A stored session resumes as soon as the element knows its relay; otherwise no client exists.
    if ((changed.has('relay') || changed.has('client')) && !this.client && this.relay && this.isConnected) this.#ctl.tryResume();
    // Resolved on every update: a table registered later (the script tag loads them) applies at once.
    this.#loc = resolveLocale(this.wantedLang(), this.strings);
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The first render (no old value) announces only an open panel.
    if (changed.has('opened') && (changed.get('opened') !== undefined || this.opened)) {
      this.#emit(this.opened ? 'parley:open' : 'parley:close', null);
      if (this.opened) {
        const active = this.getRootNode() instanceof Document ? document.activeElement : null;
        this.#returnFocus = active instanceof HTMLElement && active !== (this as HTMLElement) ? active : null;
        this.#focus('email', 'message', 'new-chat', 'close');
      } else if (this.#focusWasInside) {
        // Focus was inside the panel: hand it back to where the customer came from.
        const target = this.hideLauncher ? this.#returnFocus : this.#find('launcher');
        this.#focusWasInside = false;
        target?.focus();
      }
    }
    const st = this.#ctl.state;
    if (this.opened && st && st.unread > 0) this.#ctl.client?.markRead();
    // Follow new rows (and show the latest on opening), but leave a customer reading back alone.
    const log = this.#find('log');
    const rows = st?.timeline.length ?? 0;
    if (log && (rows !== this.#rows || changed.has('opened'))) log.scrollTop = log.scrollHeight;
    this.#rows = rows;
  }

  /** @internal Called by the controller for each forwarded client event. */
  onClientEvent(type: ForwardedEvent, detail: unknown): void {
    this.#emit(`parley:${type}`, detail as never);
  }

  /** @internal Called by the controller with each state snapshot. */
  onClientState(next: ChatState, prev: ChatState | null): void {
    if (next.unread !== (prev?.unread ?? 0)) this.#emit('parley:unread', { count: next.unread });
    if (!isLive(next)) this.#stopTyping();
  }

  // ---- rendering ------------------------------------------------------------------

  protected override render(): TemplateResult {
    const s = this.#loc.strings;
    const st = this.#ctl.state;
    const unread = this.opened ? 0 : (st?.unread ?? 0);
    const label = this.launcherLabel || s.launcher;
    return html`<div class="base" part="base" dir=${this.#loc.dir} lang=${this.#loc.lang} @keydown=${this.#onKey}>
      ${this.opened ? this.#renderPanel(st, s) : nothing}
      ${this.hideLauncher
        ? nothing
        : html`<button
            id="launcher"
            class="launcher"
            part="launcher"
            aria-label=${unread ? `${label}, ${format(s.unread, { n: unread })}` : label}
            aria-expanded=${this.opened}
            aria-controls=${this.opened ? 'panel' : nothing}
            @click=${this.toggle}
          >
            ${this.opened ? closeIcon : chatIcon}
            ${unread ? html`<span class="badge" part="badge" aria-hidden="true">${unread > 99 ? '99+' : unread}</span>` : nothing}
          </button>`}
    </div>`;
  }

  #renderPanel(st: ChatState | null, s: Strings): TemplateResult {
    const phase = st?.phase ?? 'idle';
    const live = isLive(st);
    const showForm = !this.identity && (phase === 'idle' || (phase === 'connecting' && this.#ui.busy));
    let bar = '';
    if (st && (live || phase === 'connecting')) {
      if (st.connection === 'reconnecting') bar = s.reconnecting;
      else if (st.connection === 'offline' && phase !== 'connecting') bar = s.offline;
    }
    return html`<section id="panel" class="panel" part="panel" role="dialog" aria-labelledby="title">
      <div class="head" part="header">
        <div class="heading">
          <h2 id="title" part="title">${this.#title()}</h2>
          ${st?.agent ? html`<p class="who" part="agent"><bdi>${st.agent.name}</bdi></p>` : nothing}
        </div>
        ${live ? this.#renderMenu(s) : nothing}
        <button class="icon" part="close-button" data-action="close" aria-label=${s.close} @click=${this.close}>${closeIcon}</button>
      </div>
      ${this.#ui.confirm && live
        ? html`<div class="confirm" role="group" aria-labelledby="confirm-q">
            <p id="confirm-q">${s.endConfirm}</p>
            ${button('primary', 'confirm-end', this.#confirmEnd, s.endChat)} ${button('secondary', 'keep', this.#cancelConfirm, s.keepChatting)}
          </div>`
        : nothing}
      ${bar ? html`<div class="bar" part="status" role="status">${bar}</div>` : nothing}
      <div class="body">${showForm ? this.#renderForm(s) : this.#renderChat(st, s)}</div>
    </section>`;
  }

  #renderMenu(s: Strings): TemplateResult {
    return html`<div class="menu">
      <button
        class="icon"
        data-action="menu"
        aria-label=${s.menu}
        aria-haspopup="menu"
        aria-expanded=${this.#ui.menu}
        @click=${this.#toggleMenu}
      >
        ${moreIcon}
      </button>
      ${this.#ui.menu
        ? html`<ul role="menu" aria-label=${s.menu}>
            <li role="none"><button role="menuitem" data-action="end" @click=${this.#askEnd}>${s.endChat}</button></li>
          </ul>`
        : nothing}
    </div>`;
  }

  #renderForm(s: Strings): TemplateResult {
    const { busy, emailError, nameError, formError } = this.#ui;
    return html`<form class="prechat" part="form" novalidate @submit=${this.#onStart}>
      <p>${s.intro}</p>
      ${this.#field('email', s.email, emailError)}
      ${this.#field('name', html`${s.name} <span class="opt">(${s.optional})</span>`, nameError)}
      ${errorLine(formError)}
      <button class="primary" type="submit" aria-busy=${busy} aria-disabled=${busy}>${busy ? s.connecting : s.start}</button>
    </form>`;
  }

  /** One labelled field of the pre-chat form, its refusal tied to it by `aria-describedby`. */
  #field(id: 'email' | 'name', label: unknown, error: string): TemplateResult {
    const email = id === 'email';
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        name=${id}
        type=${email ? 'email' : 'text'}
        autocomplete=${id}
        ?required=${email}
        .value=${this.#ui[id]}
        aria-invalid=${!!error}
        aria-describedby=${error ? `${id}-error` : nothing}
        @input=${(e: Event) => this.#set({ [id]: (e.target as HTMLInputElement).value })}
      />
      ${error ? html`<p id="${id}-error" class="error">${error}</p>` : nothing}
    </div>`;
  }

  #renderChat(st: ChatState | null, s: Strings): TemplateResult {
    const phase = st?.phase ?? 'idle';
    const items = st?.timeline ?? [];
    const live = isLive(st);
    let status = '';
    if (phase === 'queued') {
      const n = st?.queuePosition;
      status = n == null ? s.waiting : n <= 1 ? s.queueNext : format(s.queue, { n });
    } else if (phase === 'connecting' || (this.#ui.busy && phase === 'idle')) status = s.connecting;
    else if (phase === 'blocked' && !items.some((i) => i.kind === 'notice' && i.event.type === 'ended')) status = s.err_blocked;
    else if (phase === 'idle' && !items.length) status = s.askAway;
    // The client's last error, while the chat goes on; a lost socket has its own bar.
    const late = live && st!.error && !/^(network|timeout)$/.test(st!.error.code);
    return html`<div id="log" class="log" part="log" role="log" aria-live="polite" aria-label=${this.#title()} tabindex="0">
        ${items.map((i) =>
          // The open request shows as the prompt below, not twice.
          i.kind === 'notice' && i.event.type === 'upload_requested' && i.event.requestId === st?.openUpload?.requestId
            ? nothing
            : this.#renderItem(i, s),
        )}
        ${status ? notice(status) : nothing}
      </div>
      ${st?.agentTyping && st.agent ? html`<p class="typing">${fill(s.typing, { name: st.agent.name })}</p>` : nothing}
      ${st?.openUpload && live ? this.#renderUpload(st, s) : nothing}
      ${errorLine(this.#ui.error || (late ? errorText(s, st!.error!) : ''))}
      ${phase === 'ended' || phase === 'blocked' ? this.#renderAfter(st!, s) : this.#renderComposer(s)}`;
  }

  #renderItem(item: TimelineItem, s: Strings): TemplateResult {
    if (item.kind === 'notice') return notice(noticeText(s, item.event, fill));
    if (item.kind === 'file') {
      const f = item.event;
      return html`<div class="file" part="file">
        <span><bdi>${f.name}</bdi> <span class="meta">(${formatBytes(f.size)})</span></span>
        <button class="link" @click=${() => this.#download(f.fileId, f.name)}>${s.download}<span class="sr"> <bdi>${f.name}</bdi></span></button>
      </div>`;
    }
    const m = item.message;
    const mine = m.from === 'visitor';
    const who = mine ? s.you : m.agent?.name || this.#title();
    const delivery = mine ? s[m.delivery] : '';
    return html`<div class="msg ${m.from} ${m.delivery}" part="message message-${m.from}">
      ${mine ? html`<span class="sr">${who}:</span>` : html`<bdi class="meta">${who}</bdi>`}
      <div class="bubble" dir="auto">${linkify(m.text).map((p) =>
        p.href ? html`<a href=${p.href} target="_blank" rel="noopener noreferrer">${p.text}</a>` : p.text,
      )}</div>
      <span class="meta"
        ><time datetime=${m.at}>${timeOf(m.at, this.#loc.lang)}</time>${delivery ? html` · <span class="delivery">${delivery}</span>` : nothing}
        ${m.delivery === 'failed' && mine
          ? button('link', 'retry', () => this.#ctl.client?.retry(m.clientId), s.retry)
          : nothing}</span
      >
    </div>`;
  }

  #renderUpload(st: ChatState, s: Strings): TemplateResult {
    const req = st.openUpload!;
    const up = st.upload?.requestId === req.requestId ? st.upload : null;
    const cancel = button('secondary', 'cancel-upload', this.#cancelUpload, s.cancel);
    let body: TemplateResult;
    if (up?.status === 'uploading') {
      const pct = up.total ? Math.min(100, Math.round((up.loaded / up.total) * 100)) : 0;
      body = html`<label for="progress">${fill(s.uploading, { file: up.fileName })}</label>
        <div class="row">
          <progress id="progress" max="100" .value=${pct}></progress><span class="pct">${pct}%</span>
          ${cancel}
        </div>`;
    } else if (up?.status === 'failed') {
      body = html`${errorLine([...fill(s.uploadFailed, { file: up.fileName }), ` ${up.error ? errorText(s, up.error) : ''}`])}
        <div class="row">${button('primary', 'retry-upload', this.#retryUpload, s.retry)} ${cancel}</div>`;
    } else {
      body = html`<div class="row">
        <input id="file" class="sr" type="file" aria-describedby="file-limit" @change=${this.#onFile} />
        <label for="file" class="secondary">${s.chooseFile}</label>
        <span id="file-limit" class="meta">${format(s.upTo, { size: formatBytes(req.maxBytes) })}</span>
      </div>`;
    }
    return html`<div class="upload" part="upload" role="group" aria-labelledby="upload-title">
      <p id="upload-title"><strong>${fill(s.uploadAsked, { name: req.agent.name })}</strong></p>
      ${req.note ? html`<p><bdi>${req.note}</bdi></p>` : nothing} ${body} ${errorLine(this.#ui.fileError)}
    </div>`;
  }

  #renderComposer(s: Strings): TemplateResult {
    const { draft, busy } = this.#ui;
    const n = charLength(draft);
    const left = MAX_TEXT_LENGTH - n;
    const counter = n >= COUNTER_FROM;
    return html`<form class="composer" part="composer" @submit=${this.#onSend}>
        <label class="sr" for="message">${s.message}</label>
        <textarea
          id="message"
          rows="1"
          .value=${draft}
          aria-describedby=${counter ? 'counter' : nothing}
          @input=${this.#onDraft}
          @keydown=${this.#onComposerKey}
        ></textarea>
        <button class="primary" type="submit" ?disabled=${left < 0 || !draft.trim() || busy}>${s.send}</button>
      </form>
      ${counter
        ? html`<p id="counter" class="counter ${left < 0 ? 'over' : ''}">
            ${left < 0 ? format(s.over, { n: -left }) : format(s.left, { n: left })}
          </p>`
        : nothing}`;
  }

  #renderAfter(st: ChatState, s: Strings): TemplateResult {
    return html`<div class="after" part="actions">
      ${st.phase === 'ended' ? button('primary', 'new-chat', this.#newChat, s.newChat) : nothing}
      ${st.timeline.length ? button('secondary', 'transcript', this.#downloadTranscript, s.transcript) : nothing}
    </div>`;
  }

  // ---- intents --------------------------------------------------------------------

  async #onStart(e: Event): Promise<void> {
    e.preventDefault();
    if (this.#ui.busy) return;
    const s = this.#loc.strings;
    const email = normalizeEmail(this.#ui.email);
    // The relay's own checks (src/protocol): the email exactly, the name by length.
    const name = this.#ui.name.trim();
    const nameOk = charLength(name) <= MAX_NAME_LENGTH;
    this.#set({ emailError: email ? '' : s.badEmail, nameError: nameOk ? '' : s.badName, formError: '' });
    if (!email || !nameOk) return this.#focusAfter(email ? 'name' : 'email');
    if (await this.#startChat({ email, name: name || undefined })) await this.#focusAfter('message');
  }

  /** Starts a chat; puts a refusal into words in place. Returns whether it started. */
  async #startChat(who: Identity): Promise<boolean> {
    const s = this.#loc.strings;
    this.#set({ busy: true });
    try {
      // The page goes along as `page-url` allows (never the fragment; the query only for
      // `full`) and when the relay can take it (http(s), not too long).
      const url = this.pageUrl === 'full' ? location.href.split('#')[0]! : location.origin + location.pathname;
      const page =
        this.pageUrl !== 'none' && /^https?:/.test(url) && url.length <= MAX_PAGE_URL_LENGTH ? { url, title: document.title } : undefined;
      await this.#ctl.ensure().start({ ...who, page, locale: this.#loc.lang });
      return true;
    } catch (err) {
      const ce = err as Partial<ChatError>;
      const words = errorText(s, { code: ce.code ?? ('other' as ChatError['code']) });
      this.#set(
        this.identity
          ? { error: words }
          : ce.field === 'email'
            ? { emailError: s.badEmail }
            : ce.field === 'name'
              ? { nameError: s.badName }
              : { formError: words },
      );
      return false;
    } finally {
      this.#set({ busy: false });
    }
  }

  async #onSend(e?: Event): Promise<void> {
    e?.preventDefault();
    const text = this.#ui.draft;
    if (!text.trim() || charLength(text) > MAX_TEXT_LENGTH || this.#ui.busy) return;
    if (this.identity && (this.#ctl.state?.phase ?? 'idle') === 'idle') {
      // The site said who this is: the first message starts the chat.
      this.#set({ error: '' });
      if (!(await this.#startChat(this.identity))) return;
    }
    const client = this.#ctl.client;
    if (!client) return;
    this.#set({ draft: '', error: '' });
    this.#stopTyping();
    try {
      client.send(text);
    } catch (err) {
      this.#fail(err, { draft: text });
    }
  }

  #onDraft(e: Event): void {
    this.#set({ draft: (e.target as HTMLTextAreaElement).value });
    const client = this.#ctl.client;
    if (!client || !isLive(this.#ctl.state)) return;
    if (!this.#typingOn) {
      this.#typingOn = true;
      client.typing(true);
    }
    clearTimeout(this.#typingTimer);
    this.#typingTimer = setTimeout(() => this.#stopTyping(), TYPING_IDLE_MS);
  }

  #stopTyping(): void {
    clearTimeout(this.#typingTimer);
    if (!this.#typingOn) return;
    this.#typingOn = false;
    if (isLive(this.#ctl.state)) this.#ctl.client?.typing(false);
  }

  #onComposerKey(e: KeyboardEvent): void {
    // Enter sends; Shift+Enter (and Enter while an IME composes) makes a new line.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void this.#onSend();
    }
  }

  #onKey(e: KeyboardEvent): void {
    if (e.key !== 'Escape' || !this.opened) return;
    e.stopPropagation();
    if (this.#ui.menu) {
      this.#set({ menu: false });
      void this.#focusAfter('menu');
    } else if (this.#ui.confirm) void this.#cancelConfirm();
    else this.close();
  }

  async #toggleMenu(): Promise<void> {
    this.#set({ menu: !this.#ui.menu });
    if (this.#ui.menu) await this.#focusAfter('end');
  }

  async #askEnd(): Promise<void> {
    this.#set({ menu: false, confirm: true });
    await this.#focusAfter('confirm-end');
  }

  async #cancelConfirm(): Promise<void> {
    this.#set({ confirm: false });
    await this.#focusAfter('message', 'menu');
  }

  async #confirmEnd(): Promise<void> {
    this.#set({ confirm: false });
    try {
      await this.end();
    } catch (err) {
      this.#fail(err);
    }
    await this.#focusAfter('new-chat', 'close');
  }

  #onFile(e: Event): void {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    const req = this.#ctl.state?.openUpload;
    if (!file || !req) return;
    const s = this.#loc.strings;
    const vars = { file: file.name, size: formatBytes(file.size), limit: formatBytes(req.maxBytes) };
    // Refused here, at once: nothing is sent.
    const refusal = file.size > req.maxBytes ? fill(s.tooBig, vars) : file.size ? '' : fill(s.empty, vars);
    this.#set({ fileError: refusal });
    if (refusal) return;
    this.#lastFile = file;
    this.#retryUpload();
  }

  /** Uploads the last file chosen. Progress and failure come back through the client's state. */
  #retryUpload(): void {
    if (this.#lastFile) this.#ctl.client?.upload(this.#lastFile).catch(() => undefined);
  }

  #cancelUpload(): void {
    this.#ctl.client?.cancelUpload();
  }

  async #download(fileId: string, name: string): Promise<void> {
    try {
      saveBlob(await this.#ctl.client!.download(fileId), name);
    } catch (err) {
      this.#fail(err);
    }
  }

  async #newChat(): Promise<void> {
    this.#ctl.client?.newChat();
    this.#set({ error: '', fileError: '' });
    await this.#focusAfter('email', 'message');
  }

  #downloadTranscript(): void {
    const st = this.#ctl.state;
    if (!st) return;
    const day = (st.events[0]?.at ?? new Date().toISOString()).slice(0, 10);
    saveText(transcriptText(st.timeline, this.#loc.strings, this.#title()), `chat-${day}.txt`);
  }

  // ---- helpers --------------------------------------------------------------------

  /** Changes the panel's own state and re-renders. */
  #set(patch: Partial<Ui>): void {
    Object.assign(this.#ui, patch);
    this.requestUpdate();
  }

  /** Shows a client error in words (with `more` state changes, e.g. the draft put back). */
  #fail(err: unknown, more?: Partial<Ui>): void {
    this.#set({ ...more, error: errorText(this.#loc.strings, err as ChatError) });
  }

  /** The panel's title: the `title` attribute, else the locale's. */
  #title(): string {
    return this.title || this.#loc.strings.title;
  }

  /** The language asked for: the `lang` attribute, else the page's, else the browser's. */
  wantedLang(): string {
    return this.lang || this.closest('[lang]')?.getAttribute('lang') || globalThis.navigator?.language || 'en';
  }

  /** Focuses the first of `keys` (ids or `data-action`s) that exists now. */
  #focus(...keys: string[]): void {
    for (const key of keys) {
      const el = this.#find(key);
      if (el) return el.focus();
    }
  }

  /** Like `#focus`, after the pending render. */
  async #focusAfter(...keys: string[]): Promise<void> {
    await this.updateComplete;
    this.#focus(...keys);
  }

  /** A control of the shadow tree by id or `data-action`. */
  #find(key: string): HTMLElement | null {
    const root = this.renderRoot as ShadowRoot | undefined;
    return root?.querySelector<HTMLElement>(`#${key}, [data-action="${key}"]`) ?? null;
  }

  #emit<K extends ParleyEventName>(name: K, detail: ParleyEventDetail[K]): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}
