/**
 * The customer's "typing…" signal, as a Lit reactive controller: the composer tells it
 * of each keystroke; it tells the client once, and "stopped" after a quiet while, when
 * the message is sent, once the chat is no longer going on, and when the element
 * leaves the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ClientController } from './client-controller.js';
import { isLive } from './templates.js';

/** How long after the last keystroke "typing" turns off. */
const TYPING_IDLE_MS = 3000;

export class TypingController implements ReactiveController {
  readonly #controller: ClientController;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #on = false;

  constructor(host: ReactiveControllerHost, ctl: ClientController) {
    this.#controller = ctl;
    host.addController(this);
  }

  /** The customer typed: tells the client once, and "stopped" after a quiet while. */
  typed(): void {
    const client = this.#controller.client;
    if (!client || !isLive(this.#controller.state)) return;
    if (!this.#on) {
      this.#on = true;
      client.typing(true);
    }
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  /** Turns "typing" off now (the message was sent). */
  stop(): void {
    clearTimeout(this.#timer);
    if (!this.#on) return;
    this.#on = false;
    if (isLive(this.#controller.state)) this.#controller.client?.typing(false);
  }

  /** After each render: a chat that ended or was blocked has nobody typing in it. */
  hostUpdated(): void {
    if (!isLive(this.#controller.state)) this.stop();
  }

  hostDisconnected(): void {
    this.stop();
  }
}
