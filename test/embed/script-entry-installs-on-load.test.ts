// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { ParleyApi } from '../../src/embed/api.js';

describe('dist/parley.js entry', () => {
  it('installs window.Parley from its own tag and replays the stub queue on load', async () => {
    const s = document.createElement('script');
    s.type = 'text/x-parley-test'; // found by src, never run by the test DOM
    s.src = 'https://chat.example.com/parley.js';
    s.dataset.title = 'Acme support';
    document.head.append(s);
    const w = window as Window & { Parley?: unknown };
    new Function('window', 'window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)};').call(window, window);
    (w.Parley as (...a: unknown[]) => void)('open');
    await import('../../src/embed/index.js');
    const api = w.Parley as ParleyApi;
    expect(api.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(document.querySelectorAll('parley-chat')).toHaveLength(1);
    expect(api.element.title).toBe('Acme support');
    expect(api.element.relay).toBe('https://chat.example.com');
    expect(api.element.opened).toBe(true);
  });
});
