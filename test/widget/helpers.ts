/**
 * Test doubles for the widget tests: a fake `ChatClient` that records the element's
 * intents and emits whatever `ChatState` a test sets, builders for states, messages
 * and events, and a mount helper that waits for Lit to render.
 */
import { vi } from 'vitest';
import type { ChatMessage, ChatState, TimelineItem, UploadState } from '../../src/client/types.js';
import { EMPTY_STATE, foldLog, type AvailabilityAnswer, type EventBody, type LogEvent, type RatingValue } from '../../src/protocol/index.js';
import type { ChatClientLike } from '../../src/widget/client-controller.js';
import { defineParleyChat } from '../../src/widget/define.js';
import type { ParleyChat } from '../../src/widget/parley-chat.js';

export const AGENT = { id: 'agent_1', name: 'Jane Doe' };
export const AT = '2026-03-02T14:05:00.000Z';

/** A state as the client would publish it, with `patch` over an idle default. */
export function makeState(patch: Partial<ChatState> = {}): ChatState {
  return {
    phase: 'idle',
    connection: 'offline',
    conversationId: null,
    queuePosition: null,
    queueWait: null,
    agent: null,
    visitor: null,
    events: [],
    conversation: EMPTY_STATE,
    timeline: [],
    openUpload: null,
    upload: null,
    unread: 0,
    agentTyping: false,
    error: null,
    ...patch,
  };
}

let seq = 0;
/** A logged event with the next seq. */
export function event<B extends EventBody>(body: B): B & { seq: number; at: string } {
  return { ...body, seq: ++seq, at: AT };
}

/** A timeline row for a message. */
export function msg(text: string, patch: Partial<ChatMessage> = {}): TimelineItem {
  const message: ChatMessage = { clientId: `c${++seq}`, from: 'visitor', text, at: AT, delivery: 'sent', ...patch };
  return { kind: 'message', key: message.clientId, message };
}

/** A timeline row for a notice or file event. */
export function row(e: LogEvent): TimelineItem {
  if (e.type === 'file') return { kind: 'file', key: `s${e.seq}`, event: e };
  return { kind: 'notice', key: `s${e.seq}`, event: e as Extract<TimelineItem, { kind: 'notice' }>['event'] };
}

/** A live, claimed chat state holding `items`. */
export function activeState(items: TimelineItem[] = [], patch: Partial<ChatState> = {}): ChatState {
  const events = items.filter((i) => i.kind !== 'message').map((i) => (i as { event: LogEvent }).event);
  return makeState({
    phase: 'active',
    connection: 'online',
    conversationId: 'conv_1',
    agent: AGENT,
    visitor: { email: 'ann@example.com' },
    events,
    conversation: foldLog(events),
    timeline: items,
    ...patch,
  });
}

/** An upload in flight. */
export function uploading(requestId: string, loaded: number, total: number, patch: Partial<UploadState> = {}): UploadState {
  return { requestId, fileName: 'label.jpg', loaded, total, status: 'uploading', ...patch };
}

/** A fake client: records calls, publishes the states a test sets. */
export class FakeClient extends EventTarget implements ChatClientLike {
  state: ChatState;
  private readonly subs = new Set<(s: ChatState) => void>();
  readonly start = vi.fn(async (_o: Parameters<ChatClientLike['start']>[0]) => {});
  readonly send = vi.fn((text: string): ChatMessage => ({ clientId: 'x', from: 'visitor', text, at: AT, delivery: 'sending' }));
  readonly retry = vi.fn((_id: string) => {});
  readonly typing = vi.fn((_on: boolean) => {});
  readonly markRead = vi.fn(() => this.set({ unread: 0 }));
  readonly upload = vi.fn(async (_f: Blob & { name?: string }, _o?: unknown) => ({ fileId: 'f1', name: 'x', size: 1, mime: 'text/plain' }));
  readonly cancelUpload = vi.fn(() => {});
  readonly download = vi.fn(async (_id: string) => new Blob(['x']));
  readonly end = vi.fn(async () => {});
  readonly availability = vi.fn(async (): Promise<AvailabilityAnswer> => ({ available: true }));
  readonly rate = vi.fn(async (_value: RatingValue, _comment?: string) => {});
  readonly newChat = vi.fn(() => this.set({ phase: 'idle', timeline: [], events: [] }));
  readonly destroy = vi.fn(() => {});
  readonly resume = vi.fn(() => false);

  constructor(state: ChatState = makeState()) {
    super();
    this.state = state;
  }

  subscribe(fn: (s: ChatState) => void): () => void {
    this.subs.add(fn);
    fn(this.state);
    return () => this.subs.delete(fn);
  }

  /** Publishes a new snapshot: `patch` over the current one. */
  set(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.subs) fn(this.state);
  }

  /** Dispatches a client event (`message`, `claimed`, `ended`). */
  emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** Mounts a `<parley-chat>` with a fake client (or the given props) and waits for its render. */
export async function mount(props: Partial<ParleyChat> = {}, client: FakeClient | null = new FakeClient()) {
  defineParleyChat();
  const el = document.createElement('parley-chat');
  Object.assign(el, props);
  if (client) el.client = client;
  document.body.append(el);
  await el.updateComplete;
  return { el, client: client!, root: el.shadowRoot!, $: (sel: string) => el.shadowRoot!.querySelector<HTMLElement>(sel) };
}

/** Lets Lit render after a state change or an event. */
export async function settle(el: ParleyChat): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await Promise.resolve();
    await el.updateComplete;
  }
}

/** Types into an input or textarea as a person would (value + input event). */
export function type(input: HTMLElement | null, value: string): void {
  const field = input as HTMLInputElement;
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

/** Presses a key on an element. */
export function press(target: HTMLElement | null, key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true, ...init });
  target!.dispatchEvent(e);
  return e;
}

/** The visible text of a node, whitespace collapsed. */
export function text(node: Element | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}
