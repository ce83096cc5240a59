/**
 * Builds a console for a test: the fake relay's agent endpoint (test/fake-relay), a
 * real `AgentConnection` and `ConsoleStore` over it, signed in as Jane Doe, its HTTP
 * reads (past chats, files) answered by the fake transcript endpoints unless a test
 * brings its own `fetch`, and (for DOM tests) the app rendered into a fresh container.
 * Also small DOM helpers for typing and clicking.
 */
import { render } from 'preact';
import { vi } from 'vitest';
import { act } from 'preact/test-utils';
import { AgentConnection, type AgentConnectionOptions } from '../../src/console/connection.js';
import { ConsoleStore, type ConsoleStoreOptions } from '../../src/console/store.js';
import { App, type AppProps } from '../../src/console/components/app.js';
import { AgentEndpoint, JANE_TOKEN } from '../fake-relay/agent-endpoint.js';
import { settle } from '../fake-relay/agent-socket.js';
import { JANE } from '../fake-relay/model.js';
import { FakeTranscripts } from '../fake-relay/transcripts-http.js';

export interface Harness {
  relay: AgentEndpoint;
  /** The transcript and file endpoints (used unless the test gave the store a `fetch`). */
  transcripts: FakeTranscripts;
  connection: AgentConnection;
  store: ConsoleStore;
  destroy(): void;
}

/** A signed-in store over the fake relay. */
export async function makeStore(
  opts: {
    connection?: Partial<AgentConnectionOptions>;
    store?: Partial<ConsoleStoreOptions>;
    relay?: AgentEndpoint;
    transcripts?: FakeTranscripts;
    signIn?: boolean;
  } = {},
): Promise<Harness> {
  const relay = opts.relay ?? new AgentEndpoint();
  const transcripts = opts.transcripts ?? new FakeTranscripts();
  const connection = new AgentConnection({ url: 'ws://relay.test/v1/agent', WebSocket: relay.WebSocket, events: null, ...opts.connection });
  const store = new ConsoleStore({ connection, fetch: transcripts.fetch, ...opts.store });
  if (opts.signIn !== false) {
    store.signIn(JANE_TOKEN);
    await settle();
  }
  return { relay, transcripts, connection, store, destroy: () => store.destroy() };
}

export interface DomHarness extends Harness {
  root: HTMLElement;
  /** Runs `fn` (frames, clicks) and lets Preact render. */
  step(fn?: () => unknown): Promise<void>;
}

/** The app rendered over a signed-in store. */
export async function mountConsole(
  opts: Parameters<typeof makeStore>[0] & { app?: Partial<AppProps> } = {},
): Promise<DomHarness> {
  const h = await makeStore(opts);
  const root = document.createElement('div');
  document.body.append(root);
  const step = async (fn?: () => unknown) => {
    await act(async () => {
      await fn?.();
      await settle();
    });
  };
  await step(() => render(<App store={h.store} replyStorage={localStorage} {...opts.app} />, root));
  return {
    ...h,
    root,
    step,
    destroy: () => {
      render(null, root);
      root.remove();
      h.destroy();
    },
  };
}

/** Types into a field the way a person does: sets the value and fires `input`. */
export function typeInto(el: Element | null, value: string): void {
  const field = el as HTMLInputElement | HTMLTextAreaElement;
  if (!field) throw new Error('no field to type into');
  field.value = value;
  // Date fields have no caret.
  if (field.type !== 'date') field.selectionStart = field.selectionEnd = value.length;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Presses a key on an element. */
export function press(el: Element | null, key: string, init: KeyboardEventInit = {}): void {
  if (!el) throw new Error('no element to press a key on');
  el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
}

/** The button whose text is exactly `text` (trimmed), or throws. */
export function button(root: ParentNode, text: string): HTMLButtonElement {
  const b = [...root.querySelectorAll('button')].find((x) => x.textContent?.trim() === text);
  if (!b) throw new Error(`no button "${text}"`);
  return b as HTMLButtonElement;
}

/** Every tile button's text, in order. */
export function tileTexts(root: ParentNode): string[] {
  return [...root.querySelectorAll('.tiles .tile')].map((t) => t.textContent ?? '');
}

/** A console with one chat (Ann's, `c1`) that Jane has claimed, open in the chat pane. */
export async function openOwnChat(): Promise<DomHarness> {
  const harness = await mountConsole();
  await harness.step(() => {
    harness.relay.request('c1', { email: 'ann@example.com' });
    harness.relay.append('c1', { type: 'claimed', agent: JANE });
  });
  await harness.step(() => harness.root.querySelector<HTMLElement>('.tile')!.click());
  return harness;
}

/**
 * Lets Preact render until `ready` holds (`vi.waitFor`, each try inside `act`, since HTTP
 * answers, even fake ones, settle over a few timer turns); throws `what` after 2 s.
 */
export async function waitFor(h: DomHarness, ready: () => unknown, what: string): Promise<void> {
  await vi.waitFor(
    async () => {
      await h.step();
      if (!ready()) throw new Error(`timed out waiting for ${what}`);
    },
    { timeout: 2000, interval: 5 },
  );
}
