// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { ParleyApi } from '../../src/embed/api.js';

describe('dist/parley.js entry', () => {
  it('installs window.Parley from its own tag and replays the stub queue on load', async () => {
    const s = document.createElement('script');
    s.type = 'text/x-parley-test'; // never run by the test DOM
    s.src = 'https://chat.example.com/parley.js';
    s.dataset.title = 'Acme support';
    document.head.append(s);
    Object.defineProperty(document, 'currentScript', { value: s, configurable: true });
    const w = window as Window & { Parley?: unknown };
    new Function('window', 'window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)};').call(window, window);
    (w.Parley as (...a: unknown[]) => void)('identify', { email: 'ann@example.com' });
    await import('../../src/embed/index.js');
    const api = w.Parley as ParleyApi;
    expect(api.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(document.querySelectorAll('parley-chat')).toHaveLength(1);
    expect(api.element.shadowRoot!.querySelector('[part~="launcher"]')!.getAttribute('aria-label')).toBe('Chat with us');
  });
});
