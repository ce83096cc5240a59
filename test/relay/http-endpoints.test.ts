import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/relay/index.js';
import { Harness } from './helpers.js';

describe('HTTP endpoints and static files', () => {
  let h: Harness;
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'parley-static-'));
    mkdirSync(join(root, 'console'));
    mkdirSync(join(root, 'demo'));
    writeFileSync(join(root, 'console', 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(root, 'console', 'console.js'), 'console.log(1)');
    writeFileSync(join(root, 'demo', 'index.html'), '<!doctype html><title>shop</title>');
    writeFileSync(join(root, 'parley.js'), '/* widget */');
    writeFileSync(join(root, 'parley.de.js'), '/* german strings */');
    writeFileSync(join(root, 'parley-widget-Ab3_x-9Q.js'), 'export const start = 1;');
    writeFileSync(join(root, 'secret.txt'), 'do not serve');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(() => h.cleanup());

  const start = (demo: boolean) =>
    Harness.start({ demo, consoleDir: join(root, 'console'), demoDir: join(root, 'demo'), widgetFile: join(root, 'parley.js') });

  it('answers /healthz with {ok: true}', async () => {
    h = await start(false);
    const res = await fetch(`${h.relay.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('answers /healthz with 503 while the store does not answer, so a load balancer looks elsewhere', async () => {
    class Silent extends SqliteStore {
      silent = false;
      override ping(): Promise<void> {
        return this.silent ? new Promise<void>(() => {}) : super.ping();
      }
    }
    const store = new Silent(':memory:');
    h = await Harness.start({ store });
    expect((await fetch(`${h.relay.url}/healthz`)).status).toBe(200);
    store.silent = true;
    const res = await fetch(`${h.relay.url}/healthz`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({ error: { code: 'internal', message: 'the store does not answer' } });
    await h.cleanup();
    await store.close();
  });

  it('serves the console under /console/ with nosniff, redirecting /console', async () => {
    h = await start(false);
    const redirect = await fetch(`${h.relay.url}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/console/');
    const index = await fetch(`${h.relay.url}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('<title>console</title>');
    expect(index.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    const js = await fetch(`${h.relay.url}/console/console.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('refuses path traversal out of a static folder', async () => {
    h = await start(true);
    for (const p of ['/console/../secret.txt', '/console/%2e%2e/secret.txt', '/console/..%2fsecret.txt', '/%2e%2e/secret.txt', '/..%5csecret.txt']) {
      const res = await fetch(h.relay.url + p);
      expect(res.status, p).toBe(404);
      expect(await res.text()).not.toContain('do not serve');
    }
  });

  it('serves /parley.js and its locale files always, the demo page only with demo', async () => {
    h = await start(false);
    expect((await fetch(`${h.relay.url}/`)).status).toBe(404);
    const widget = await fetch(`${h.relay.url}/parley.js`);
    expect(widget.status).toBe(200);
    expect(await widget.text()).toBe('/* widget */');
    const german = await fetch(`${h.relay.url}/parley.de.js?v=1`);
    expect(german.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await german.text()).toBe('/* german strings */');
    expect((await fetch(`${h.relay.url}/parley.fr.js`)).status).toBe(404);
    expect((await fetch(`${h.relay.url}/parley..js`)).status).toBe(404);
    await h.cleanup();
    h = await start(true);
    const page = await fetch(`${h.relay.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>shop</title>');
    const versioned = await fetch(`${h.relay.url}/parley.js?v=0.1.0`);
    expect(versioned.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(versioned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // A pin of another release must not keep this release's loader for a year.
    expect((await fetch(`${h.relay.url}/parley.js?v=9.9.9`)).headers.get('cache-control')).toBe('public, max-age=300');
    expect(versioned.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const plain = await fetch(`${h.relay.url}/parley.js`);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=300');
    expect(plain.headers.get('sourcemap')).toBe('parley.js.map');
    expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    // The widget's chunks are named by their content and imported by pages of other origins.
    const chunk = await fetch(`${h.relay.url}/parley-widget-Ab3_x-9Q.js`);
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(chunk.headers.get('access-control-allow-origin')).toBe('*');
    expect(chunk.headers.get('sourcemap')).toBe('parley-widget-Ab3_x-9Q.js.map');
    expect(chunk.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${h.relay.url}/parley-widget-missing.js`)).status).toBe(404);
    expect((await fetch(`${h.relay.url}/parley-..%2Fsecret.txt`)).status).toBe(404);
    for (const probe of ['/parley-..%2F..%2Fsecret.js', '/parley-%2e%2e%2fsecret.js', '/parley.js%00', '/parley-x.js/..%2Fsecret.txt', '/parley..%2Fsecret.js']) {
      expect((await fetch(`${h.relay.url}${probe}`)).status, probe).toBe(404);
    }
    expect((await fetch(`${h.relay.url}/missing.html`)).status).toBe(404);
  });

  it('answers unknown routes with 404 and the error body', async () => {
    h = await start(false);
    const res = await fetch(`${h.relay.url}/v1/nothing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'not found' } });
  });
});
