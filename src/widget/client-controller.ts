/**
 * Binds `<parley-chat>` to a `ChatClient` as a Lit ReactiveController: holds the
 * client (injected, or made lazily by a factory), subscribes to its state snapshots
 * and asks the host to re-render. It never renders and never touches the socket.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { devText } from '../protocol/errors.js';
import type { ChatClient } from '../client/chat-client.js';
import type { ChatClientEventMap, ChatState } from '../client/types.js';

/**
 * The part of `ChatClient` the element uses, taken from the class itself (so the two
 * cannot drift). The real client satisfies it; tests pass a small fake that emits
 * `ChatState` snapshots and the events of `ChatClientEventMap`.
 */
export type ChatClientLike = EventTarget &
  Pick<
    ChatClient,
    | 'state'
    | 'subscribe'
    | 'resume'
    | 'start'
    | 'send'
    | 'retry'
    | 'typing'
    | 'markRead'
    | 'upload'
    | 'cancelUpload'
    | 'download'
    | 'end'
    | 'availability'
    | 'rate'
    | 'newChat'
    | 'destroy'
  >;

/** The client events the element passes on (as `parley:*` events). */
export type ForwardedEvent = keyof Pick<ChatClientEventMap, 'message' | 'claimed' | 'ended'>;
const FORWARDED: ForwardedEvent[] = ['message', 'claimed', 'ended'];

/** What the controller needs from its host element. */
export interface ClientHost extends ReactiveControllerHost {
  /** Called with each client event to forward, and with each new snapshot. */
  onClientEvent(type: ForwardedEvent, detail: unknown): void;
  onClientState(next: ChatState, prev: ChatState | null): void;
}

/** Holds one client for one element and keeps `state` current. */
export class ClientController implements ReactiveController {
  /** The latest snapshot, or `null` while there is no client. */
  state: ChatState | null = null;
  #current: ChatClientLike | null = null;
  #owned = false;
  #connected = false;
  #unsubscribe: (() => void) | null = null;
  #forward = (e: Event) =>
    this.#host.onClientEvent(e.type as ForwardedEvent, (e as CustomEvent).detail);

  readonly #host: ClientHost;
  /** Makes a client when the element needs one; `null` when it cannot (no relay set). */
  readonly #factory: () => ChatClientLike | null;

  constructor(host: ClientHost, factory: () => ChatClientLike | null) {
    this.#host = host;
    this.#factory = factory;
    host.addController(this);
  }

  /** The client, if one exists yet. */
  get client(): ChatClientLike | null {
    return this.#current;
  }

  /** Uses a client made elsewhere (the element's `client` property); it is not destroyed here. */
  inject(client: ChatClientLike | null): void {
    if (client === this.#current) return;
    this.#release();
    if (client) this.#attach(client, false);
  }

  /** The client, made now if needed. Throws a TypeError when none can be made. */
  ensure(): ChatClientLike {
    if (!this.#current) {
      const c = this.#factory();
      if (!c) throw new TypeError(devText('parley-chat: no relay'));
      this.#attach(c, true);
    }
    return this.#current!;
  }

  /**
   * Makes the client and resumes a stored session if there is one. Costs nothing on the
   * network otherwise: the client opens its socket only on `resume()` with a session or
   * on `start()`, and keeps listening for a chat that another tab of the site starts.
   * Returns whether a session resumed.
   */
  tryResume(): boolean {
    try {
      return this.ensure().resume();
    } catch {
      return false; // No relay, or one the client refuses: the form says so when the customer starts.
    }
  }

  hostConnected(): void {
    this.#connected = true;
    if (this.#current && !this.#unsubscribe) this.#listen(this.#current);
  }

  hostDisconnected(): void {
    this.#connected = false;
    // A client this element made dies with it; a later connect resumes from storage.
    if (this.#owned) this.#release();
    else this.#stopListening();
  }

  #attach(c: ChatClientLike, owned: boolean): void {
    this.#current = c;
    this.#owned = owned;
    if (this.#connected) this.#listen(c);
  }

  #listen(c: ChatClientLike): void {
    for (const t of FORWARDED) c.addEventListener(t, this.#forward);
    this.#unsubscribe = c.subscribe((s) => {
      const prev = this.state;
      this.state = s;
      this.#host.onClientState(s, prev);
      this.#host.requestUpdate();
    });
  }

  #stopListening(): void {
    if (!this.#current || !this.#unsubscribe) return;
    for (const t of FORWARDED) this.#current.removeEventListener(t, this.#forward);
    this.#unsubscribe();
    this.#unsubscribe = null;
  }

  #release(): void {
    this.#stopListening();
    if (this.#current && this.#owned) this.#current.destroy();
    this.#current = null;
    this.#owned = false;
    this.state = null;
    this.#host.requestUpdate();
  }
}
