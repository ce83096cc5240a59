// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConsoleAlerts, SOUND_KEY, type AlertsOptions } from '../../src/console/alerts.js';
import { DesktopNotices, type NotificationCtor } from '../../src/console/desktop-notices.js';
import { settle } from '../fake-relay/agent-socket.js';
import { JANE } from '../fake-relay/model.js';
import { button, makeStore, mountConsole, type Harness } from './harness.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A fake `Notification`: records what is shown; `permission` as the test sets it. */
function fakeNotifications(permission: 'default' | 'granted' | 'denied' = 'granted') {
  const shown: { title: string; body?: string; tag?: string; click: () => void }[] = [];
  const Ctor = class {
    static permission = permission;
    static requestPermission = vi.fn(async () => {
      Ctor.permission = 'granted';
      return 'granted' as const;
    });
    onclick: ((ev: Event) => unknown) | null = null;
    constructor(title: string, options?: { body?: string; tag?: string }) {
      shown.push({ title, ...options, click: () => this.onclick?.(new Event('click')) });
    }
    close(): void {}
  };
  return { Ctor: Ctor as NotificationCtor & typeof Ctor, shown };
}

/** Memory storage for the sound switch. */
function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), map: m };
}

async function setup(opts: Partial<AlertsOptions> & { permission?: 'default' | 'granted' | 'denied' } = {}) {
  const h: Harness = await makeStore({ connection: { minDelayMs: 1, maxDelayMs: 2 } });
  const chime = { play: vi.fn() };
  const n = fakeNotifications(opts.permission);
  const focus = vi.fn();
  let now = 1_000_000;
  const alerts = new ConsoleAlerts({ store: h.store, chime, notices: new DesktopNotices(n.Ctor), focus, clock: () => now, ...opts });
  cleanups.push(() => alerts.destroy(), () => h.destroy());
  /** Forgets what the alerts did so far, and lets the quiet time pass. */
  const forget = () => {
    chime.play.mockClear();
    n.shown.length = 0;
    now += 60_000;
  };
  return { h, alerts, chime, shown: n.shown, Ctor: n.Ctor, focus, forget, later: (ms: number) => (now += ms) };
}

/** Ann's chat c1, Jane's and open in the console; what that took is not counted. */
async function ownChatOpen(a: Awaited<ReturnType<typeof setup>>): Promise<void> {
  a.h.relay.request('c1', { email: 'ann@example.com', name: 'Ann Lee' });
  a.h.relay.append('c1', { type: 'claimed', agent: JANE });
  await settle();
  a.h.store.select('c1');
  await settle();
  a.forget();
}

describe('ConsoleAlerts', () => {
  it('plays the sound and shows a notice for a new waiting chat while the agent reads another; the notice opens it', async () => {
    const a = await setup();
    await ownChatOpen(a);
    a.h.relay.request('c2', { email: 'bea@example.com' });
    await settle();
    expect(a.chime.play).toHaveBeenCalledTimes(1);
    expect(a.shown).toEqual([expect.objectContaining({ title: 'A new chat is waiting', body: 'bea@example.com', tag: 'parley-c2' })]);
    a.shown[0]!.click();
    expect(a.focus).toHaveBeenCalled();
    expect(a.h.store.state.selectedId).toBe('c2');
  });

  it('says nothing of messages in the chat open in a tab in view, and speaks once the tab is hidden', async () => {
    const a = await setup();
    await ownChatOpen(a);
    a.h.relay.visitorSays('c1', 'hello');
    await settle();
    expect(a.chime.play).not.toHaveBeenCalled();
    expect(a.shown).toEqual([]);
    a.h.store.setHidden(true);
    a.h.relay.visitorSays('c1', 'are you there?');
    await settle();
    expect(a.chime.play).toHaveBeenCalledTimes(1);
    expect(a.shown).toEqual([expect.objectContaining({ title: 'Ann Lee wrote', body: 'are you there?' })]);
  });

  it("tells of a customer's message in another of the agent's chats", async () => {
    const a = await setup();
    a.h.relay.request('c2', { email: 'bea@example.com' });
    a.h.relay.append('c2', { type: 'claimed', agent: JANE });
    await ownChatOpen(a);
    expect(a.h.store.state.chats['c2']?.loaded).toBe(true);
    a.h.relay.visitorSays('c2', 'my parcel is late');
    await settle();
    expect(a.shown).toEqual([expect.objectContaining({ title: 'bea@example.com wrote', body: 'my parcel is late', tag: 'parley-c2' })]);
  });

  it("tells of an offer once, as an offer, and not of the chats in the welcome's list", async () => {
    const a = await setup();
    a.h.store.signOut();
    a.h.relay.request('c0', { email: 'old@example.com' });
    a.h.store.signIn('jane-token-0123456789abcdef');
    await settle();
    expect(a.h.store.state.chats['c0']).toBeDefined();
    expect(a.chime.play).not.toHaveBeenCalled();
    a.h.relay.request('c1', { email: 'ann@example.com' });
    await settle();
    a.h.relay.offer('c1', JANE);
    await settle();
    expect(a.shown.map((x) => x.title)).toEqual(['A new chat is waiting', 'A chat is offered to you']);
  });

  it('beeps once for a burst of news, and again after a quiet while', async () => {
    const a = await setup({ quietMs: 1_500 });
    a.h.relay.request('c1', { email: 'ann@example.com' });
    await settle();
    a.h.relay.request('c2', { email: 'bea@example.com' });
    await settle();
    expect(a.chime.play).toHaveBeenCalledTimes(1);
    a.later(2_000);
    a.h.relay.request('c3', { email: 'cy@example.com' });
    await settle();
    expect(a.chime.play).toHaveBeenCalledTimes(2);
  });

  it('keeps the Sound switch: off plays nothing, and stays off for the next console', async () => {
    const storage = memoryStorage();
    const a = await setup({ storage });
    expect(a.alerts.state.sound).toBe(true);
    a.alerts.setSound(false);
    expect(storage.map.get(SOUND_KEY)).toBe('off');
    a.h.relay.request('c1', { email: 'ann@example.com' });
    await settle();
    expect(a.chime.play).not.toHaveBeenCalled();
    expect(a.shown).toHaveLength(1);
    const next = new ConsoleAlerts({ store: a.h.store, storage });
    cleanups.push(() => next.destroy());
    expect(next.state.sound).toBe(false);
  });

  it('shows no notification until the agent allows them, then does', async () => {
    const a = await setup({ permission: 'default' });
    expect(a.alerts.state.notifications).toBe('default');
    a.h.relay.request('c1', { email: 'ann@example.com' });
    await settle();
    expect(a.shown).toEqual([]);
    expect(a.chime.play).toHaveBeenCalledTimes(1);
    await a.alerts.enableNotifications();
    expect(a.Ctor.requestPermission).toHaveBeenCalledTimes(1);
    expect(a.alerts.state.notifications).toBe('granted');
    a.h.relay.request('c2', { email: 'bea@example.com' });
    await settle();
    expect(a.shown.map((s) => s.body)).toEqual(['bea@example.com']);
  });

  it('gathers more than three pieces of news at once into one notice', async () => {
    const a = await setup();
    a.h.relay.socket.drop();
    for (let i = 1; i <= 5; i++) a.h.relay.request(`c${i}`, { email: `c${i}@example.com` });
    // The console comes back: its welcome brings five new chats in one go.
    await new Promise((r) => setTimeout(r, 20));
    await settle();
    expect(Object.keys(a.h.store.state.chats)).toHaveLength(5);
    expect(a.shown).toEqual([expect.objectContaining({ title: '5 chats need you', tag: 'parley-many' })]);
    expect(a.chime.play).toHaveBeenCalledTimes(1);
  });
});

describe('Alert controls in the top bar', () => {
  it('switches the sound off and on, and asks for desktop notifications from a button', async () => {
    const storage = memoryStorage();
    const h = await mountConsole();
    const n = fakeNotifications('default');
    const alerts = new ConsoleAlerts({ store: h.store, notices: new DesktopNotices(n.Ctor), storage });
    cleanups.push(() => alerts.destroy(), () => h.destroy());
    const { render } = await import('preact');
    const { App } = await import('../../src/console/components/app.js');
    await h.step(() => render(<App store={h.store} replyStorage={null} alerts={alerts} />, h.root));
    const sound = h.root.querySelector<HTMLInputElement>('input[role="switch"]')!;
    expect(sound.closest('label')?.textContent?.trim()).toBe('Sound');
    expect(sound.checked).toBe(true);
    await h.step(() => sound.click());
    expect(alerts.state.sound).toBe(false);
    expect(storage.map.get(SOUND_KEY)).toBe('off');
    await h.step(() => button(h.root, 'Enable desktop notifications').click());
    expect(n.Ctor.requestPermission).toHaveBeenCalledTimes(1);
    expect(h.root.querySelector('.alert-controls')?.textContent).toContain('Desktop notifications on');
  });
});
