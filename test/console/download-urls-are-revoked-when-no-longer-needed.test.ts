// @vitest-environment happy-dom
// A downloaded file is held in memory for as long as its blob URL lives. The store
// revokes a URL once nothing shows it any more: the chat dismissed or forgotten, a
// newer download of the same file, a sign-out, or the store destroyed.
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { settle } from '../fake-relay/agent-socket.js';
import { BOB, JANE } from '../fake-relay/model.js';
import { makeStore, type Harness } from './harness.js';

let h: Harness | undefined;
let revoke: MockInstance<(url: string) => void>;
let made: string[];

beforeEach(() => {
  // The store's default revoker is the page's own `URL.revokeObjectURL`.
  revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  made = [];
});
afterEach(() => {
  h?.destroy();
  h = undefined;
  revoke.mockRestore();
});

/** A fetch that answers every file at once, or waits for `release()` when `gated`. */
function files(gated = false) {
  let open: () => void = () => {};
  const gate = new Promise<void>((r) => (open = r));
  const fetchFn = (async () => {
    if (gated) await gate;
    return new Response('bytes', { status: 200 });
  }) as typeof fetch;
  return { fetch: fetchFn, release: () => open() };
}

/** Store options that fetch with `fetchFn` and number the blob URLs they make. */
function storeOptions(fetchFn: typeof fetch) {
  return {
    fetch: fetchFn,
    createObjectURL: () => {
      const url = `blob:http://localhost/${made.length + 1}`;
      made.push(url);
      return url;
    },
  };
}

/** A signed-in store (`h`, made when there is none) where Jane owns Ann's chat `id` and Ann sent `fileId`. */
async function ownChatWithFile(fetchFn: typeof fetch, id = 'c1', fileId = 'file_1'): Promise<Harness> {
  const harness = h ?? (await makeStore({ store: storeOptions(fetchFn) }));
  harness.relay.request(id, { email: 'ann@example.com' });
  harness.relay.append(id, { type: 'claimed', agent: JANE });
  harness.relay.append(id, { type: 'file', requestId: 'r1', fileId, name: 'invoice.pdf', size: 5, mime: 'application/pdf' });
  await settle();
  return harness;
}

function urlOf(harness: Harness, id: string, fileId = 'file_1'): string | undefined {
  return harness.store.state.chats[id]?.downloads[fileId]?.url;
}

describe('download URLs are revoked when no longer needed', () => {
  it('keeps the URL while its chat shows it, and revokes it when the ended chat is dismissed', async () => {
    h = await ownChatWithFile(files().fetch);
    await h.store.download('c1', 'file_1');
    expect(urlOf(h, 'c1')).toBe('blob:http://localhost/1');
    await h.store.end('c1');
    await settle();
    // Ended, but its tile (and the file's link) is still there.
    expect(h.store.state.chats['c1']).toBeDefined();
    expect(revoke).not.toHaveBeenCalled();
    h.store.dismiss('c1');
    expect(h.store.state.chats['c1']).toBeUndefined();
    expect(revoke.mock.calls).toEqual([['blob:http://localhost/1']]);
  });

  it('revokes the URL when the chat is forgotten (transferred to another agent)', async () => {
    h = await ownChatWithFile(files().fetch);
    await h.store.download('c1', 'file_1');
    await h.store.routing.transfer('c1', BOB.id);
    await settle();
    // A transfer request: the chat, and its file, stay until Bob accepts.
    expect(revoke).not.toHaveBeenCalled();
    h.relay.acceptTransfer('c1');
    await settle();
    expect(h.store.state.chats['c1']).toBeUndefined();
    expect(revoke.mock.calls).toEqual([['blob:http://localhost/1']]);
  });

  it('revokes the URL when the relay says the chat is gone', async () => {
    h = await makeStore({ connection: { minDelayMs: 1, maxDelayMs: 2 }, store: storeOptions(files().fetch) });
    await ownChatWithFile(files().fetch);
    await h.store.download('c1', 'file_1');
    // The chat is gone from the relay; after a reconnect its watch is refused.
    h.relay.conversations.delete('c1');
    h.relay.socket.drop();
    await new Promise((r) => setTimeout(r, 20));
    await settle();
    expect(h.relay.sockets).toHaveLength(2);
    expect(h.store.state.chats['c1']).toBeUndefined();
    expect(revoke.mock.calls).toEqual([['blob:http://localhost/1']]);
  });

  it('revokes the older URL when a newer download of the same file replaces it', async () => {
    h = await ownChatWithFile(files().fetch);
    await h.store.download('c1', 'file_1');
    await h.store.download('c1', 'file_1');
    expect(urlOf(h, 'c1')).toBe('blob:http://localhost/2');
    expect(revoke.mock.calls).toEqual([['blob:http://localhost/1']]);
  });

  it('revokes the older URL when two downloads of the same file overlap', async () => {
    h = await ownChatWithFile(files().fetch);
    await Promise.all([h.store.download('c1', 'file_1'), h.store.download('c1', 'file_1')]);
    expect(urlOf(h, 'c1')).toBe('blob:http://localhost/2');
    expect(revoke.mock.calls).toEqual([['blob:http://localhost/1']]);
  });

  it('revokes every URL on sign out', async () => {
    h = await ownChatWithFile(files().fetch);
    await ownChatWithFile(files().fetch, 'c2', 'file_2');
    await h.store.download('c1', 'file_1');
    await h.store.download('c2', 'file_2');
    expect(revoke).not.toHaveBeenCalled();
    h.store.signOut();
    expect(revoke.mock.calls.map(([u]) => u).sort()).toEqual(['blob:http://localhost/1', 'blob:http://localhost/2']);
  });

  it('revokes every URL on destroy, once', async () => {
    h = await ownChatWithFile(files().fetch);
    await h.store.download('c1', 'file_1');
    h.store.destroy();
    h.store.destroy();
    expect(revoke.mock.calls).toEqual([['blob:http://localhost/1']]);
  });

  it('revokes at once a URL that arrives after its chat was forgotten', async () => {
    const slow = files(true);
    h = await ownChatWithFile(slow.fetch);
    const done = h.store.download('c1', 'file_1');
    await h.store.routing.transfer('c1', BOB.id);
    h.relay.acceptTransfer('c1');
    await settle();
    expect(h.store.state.chats['c1']).toBeUndefined();
    slow.release();
    await done;
    expect(made).toEqual(['blob:http://localhost/1']);
    expect(revoke.mock.calls).toEqual([['blob:http://localhost/1']]);
  });

  it('revokes at once a URL that arrives after the store was destroyed', async () => {
    const slow = files(true);
    h = await ownChatWithFile(slow.fetch);
    const done = h.store.download('c1', 'file_1');
    h.store.destroy();
    slow.release();
    await done;
    expect(made).toEqual(['blob:http://localhost/1']);
    expect(revoke.mock.calls).toEqual([['blob:http://localhost/1']]);
  });

  it('uses an injected revoker instead of the page one', async () => {
    const injected = vi.fn();
    h = await makeStore({ store: { fetch: files().fetch, createObjectURL: () => 'blob:http://localhost/x', revokeObjectURL: injected } });
    await ownChatWithFile(files().fetch);
    await h.store.download('c1', 'file_1');
    h.store.signOut();
    expect(injected).toHaveBeenCalledWith('blob:http://localhost/x');
    expect(revoke).not.toHaveBeenCalled();
  });
});
