/**
 * examples/react and examples/vue, the smallest apps that use the npm package
 * parley-chat (this workspace's built packages/parley-chat/dist) with its framework
 * typings: each type-checks (its deliberately wrong usages are refused, or the check
 * fails), builds with Vite, and, served as built from another origin than the relay,
 * starts a real chat in Chromium: the agent sees the conversation with the customer's
 * email, the customer's message arrives, and the agent's reply shows in the widget.
 * The attributes the app's template gives the element (`title`, `launcher-label`) are
 * checked on screen, so the framework's binding is what is under test, not a copy.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_DIST } from '../../scripts/built-paths.mjs';
import type { ConversationSummary } from '../../src/protocol/index.js';
import { serveStatic } from './examples-static-server.js';
import { AgentWire } from './journey-agent.js';
import { ROOT, startJourney, type Journey } from './journey-setup.js';
import { waitForText, widget } from './journey-widget.js';

/** The examples, by workspace folder, with the heading each page shows. */
const EXAMPLES = [
  { name: 'react', heading: 'Mugs, made with React' },
  { name: 'vue', heading: 'Mugs, made with Vue' },
] as const;
type Example = (typeof EXAMPLES)[number]['name'];

/** How one npm script ended: never rejects, so a failure belongs to the test that awaits it. */
interface Outcome {
  ok: boolean;
  output: string;
}

/** `npm run <script> --workspace examples/<name>` from the root, bounded in time. */
function npmRun(script: string, name: Example, timeoutMs = 60_000): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', script, '--workspace', `examples/${name}`],
      { cwd: ROOT, timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } },
      (err, stdout, stderr) => resolve({ ok: !err, output: `${stdout}${stderr}${err && !stdout && !stderr ? String(err) : ''}` }),
    );
  });
}

describe('the React and Vue examples, built from the npm package', () => {
  let j: Journey;
  let agent: AgentWire;
  const builds = new Map<Example, Promise<Outcome>>();
  const typechecks = new Map<Example, Promise<Outcome>>();
  const servers: Server[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // The examples import the built package: its element and its typings.
    for (const f of ['index.js', 'types/index.d.ts', 'types/react.d.ts', 'types/vue.d.ts']) {
      if (!existsSync(join(CHAT_DIST, f))) throw new Error(`packages/parley-chat/dist/${f} is missing: run \`npm run build\` first.`);
    }
    // Builds and type checks run side by side (awaited by the tests that need them),
    // while the relay and Chromium start.
    for (const { name } of EXAMPLES) {
      builds.set(name, npmRun('build', name));
      typechecks.set(name, npmRun('typecheck', name));
    }
    j = await startJourney();
    const a = await j.relay.addAgent('Jane Doe');
    agent = await AgentWire.connect(j.relay.url, a.token);
  }, 30_000);

  afterAll(async () => {
    // Whatever is still running ends within its own timeout; wait so no npm outlives the file.
    await Promise.all([...builds.values(), ...typechecks.values()]);
    for (const c of contexts) await c.close().catch(() => undefined);
    agent?.close();
    await j?.close();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }, 90_000);

  for (const { name, heading } of EXAMPLES) {
    it(`examples/${name} type-checks with parley-chat/${name}, which refuses its wrong usages`, async () => {
      const r = await typechecks.get(name)!;
      expect(r.ok, r.output).toBe(true);
    }, 60_000);

    it(`examples/${name}, as built, starts a chat with the relay given in its address`, async () => {
      const build = await builds.get(name)!;
      expect(build.ok, build.output).toBe(true);
      const site = await serveStatic(join(ROOT, 'examples', name, 'dist'));
      servers.push(site.server);

      const context = await j.browser.newContext({ viewport: { width: 1280, height: 800 } });
      contexts.push(context);
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') pageErrors.push(m.text());
      });
      // Named by URL (the console's "Failed to load resource" is not).
      const badResponses: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400) badResponses.push(`${r.status()} ${r.url()}`);
      });

      await page.goto(`${site.url}/?relay=${encodeURIComponent(j.relay.url)}`);
      await page.getByRole('heading', { name: heading }).waitFor({ timeout: 10_000 });
      const w = widget(page);
      await w.launcher.waitFor({ state: 'visible', timeout: 10_000 });
      // The app's `launcher-label` and `title` reached the element.
      expect(await w.launcher.getAttribute('aria-label')).toBe('Ask about mugs');
      await w.launcher.click();
      await expect.poll(() => w.host.locator('[part~="title"]').textContent()).toBe('Mug support');

      const email = `${name}-customer@example.com`;
      await w.email.fill(email);
      await w.start.click();
      const f = (await agent.next((x) => x.t === 'conversation' && x.summary.visitor.email === email)) as { summary: ConversationSummary };
      const conversationId = f.summary.id;
      // The page told the agent its origin and path; the query (here the relay's address) stays home.
      expect(f.summary.page?.url).toBe(`${site.url}/`);

      await agent.request({ t: 'claim', id: 'claim', conversationId });
      await waitForText(w.notices, 'Jane Doe joined the chat');
      const question = `Do you ship mugs built with ${name}?`;
      await w.message.fill(question);
      await w.message.press('Enter');
      const said = await agent.event(conversationId, (e) => e.type === 'message' && e.from === 'visitor');
      expect(said).toMatchObject({ type: 'message', from: 'visitor', text: question });

      agent.send({ t: 'send', conversationId, clientId: randomUUID(), text: `Yes, the ${name} mug ships today.` });
      await waitForText(w.log, `Yes, the ${name} mug ships today.`);
      expect({ badResponses, pageErrors }).toEqual({ badResponses: [], pageErrors: [] });
    }, 60_000);
  }
});
