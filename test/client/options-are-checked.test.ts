import { describe, expect, it } from 'vitest';
import { ChatClient } from '../../src/client/index.js';
import type { ChatClientOptions } from '../../src/client/index.js';
import { testStorage } from '../fake-relay/test-storage.js';

const make = (o: unknown) => () => new ChatClient(o as ChatClientOptions);

describe('new ChatClient(options)', () => {
  it('throws TypeError or RangeError with exact messages for bad options', () => {
    expect(make(undefined)).toThrow(new TypeError('options must be an object'));
    expect(make({})).toThrow(new TypeError('options.relay must be a string'));
    expect(make({ relay: 'not a url' })).toThrow(new RangeError('options.relay must be an http: or https: URL'));
    expect(make({ relay: 'ftp://chat.example.com' })).toThrow(RangeError);
    expect(make({ relay: 'https://chat.example.com', storage: {} })).toThrow(
      new TypeError('options.storage must have getItem, setItem and removeItem'),
    );
    expect(make({ relay: 'https://chat.example.com', WebSocket: 'ws' })).toThrow(new TypeError('options.WebSocket must be a function'));
    expect(make({ relay: 'https://chat.example.com', fetch: 1 })).toThrow(new TypeError('options.fetch must be a function'));
    expect(make({ relay: 'https://chat.example.com', XMLHttpRequest: {} })).toThrow(new TypeError('options.XMLHttpRequest must be a function'));
    expect(make({ relay: 'https://chat.example.com', storageKey: '' })).toThrow(new TypeError('options.storageKey must be a non-empty string'));
    expect(make({ relay: 'https://chat.example.com', random: 0.5 })).toThrow(new TypeError('options.random must be a function'));
    expect(make({ relay: 'https://chat.example.com', pingIntervalMs: 0 })).toThrow(new RangeError('options.pingIntervalMs must be a positive number of milliseconds'));
    expect(make({ relay: 'https://chat.example.com', requestTimeoutMs: '15000' })).toThrow(RangeError);
    expect(make({ relay: 'https://chat.example.com', maxDelayMs: Infinity })).toThrow(RangeError);
  });

  it('derives wss:// from https:// (and ws:// from http://), keeps no token in the URL, and opens nothing until asked', async () => {
    const urls: string[] = [];
    class RecordingSocket {
      onclose: ((e: { code: number }) => void) | null = null;
      constructor(url: string) {
        urls.push(url);
        queueMicrotask(() => this.onclose?.({ code: 1006 }));
      }
      send(): void {}
      close(): void {}
    }
    const storage = testStorage();
    const opts = { storage, WebSocket: RecordingSocket as unknown as typeof WebSocket };
    const secure = new ChatClient({ relay: 'https://chat.example.com/', ...opts });
    const plain = new ChatClient({ relay: 'http://127.0.0.1:8080/support/', ...opts });
    expect(urls).toEqual([]);
    expect(storage.map.size).toBe(0);
    await expect(secure.start({ email: 'ann@example.com' })).rejects.toMatchObject({ code: 'network' });
    await expect(plain.start({ email: 'ann@example.com' })).rejects.toMatchObject({ code: 'network' });
    expect(urls).toEqual(['wss://chat.example.com/v1/visitor', 'ws://127.0.0.1:8080/support/v1/visitor']);
    expect(secure.state.phase).toBe('idle');
    expect(storage.map.size).toBe(0);
    secure.destroy();
    secure.destroy();
    plain.destroy();
  });

  it('subscribe calls at once with the current state and stops after unsubscribe', () => {
    const client = new ChatClient({ relay: 'https://chat.example.com', storage: testStorage() });
    const seen: string[] = [];
    const off = client.subscribe((s) => seen.push(s.phase));
    expect(seen).toEqual(['idle']);
    off();
    client.destroy();
    expect(seen).toEqual(['idle']);
  });
});
