/**
 * `parley-relay export` writes the transcript record of every ended conversation
 * (events included, the same records as `GET /v1/transcripts/{id}`) as one JSON line
 * each, newest end first, filtered by --email, --since and --until; a bad filter is a
 * usage error (exit 2) that writes nothing to stdout.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureRelayBuilt, ROOT } from './build-relay.js';
import { Harness, TestSocket } from './helpers.js';

beforeAll(() => ensureRelayBuilt(), 120_000);

/** Runs the built CLI's export on the harness's data folder. */
const exportOf = (dataDir: string, ...flags: string[]) =>
  spawnSync(process.execPath, [CLI, 'export', '--data', dataDir, ...flags], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });

describe('parley-relay export', () => {
  let h: Harness;
  const ended: string[] = [];
  beforeAll(async () => {
    h = await Harness.start({ sqlite: true });
    for (const email of ['ann@example.com', 'bob@example.com', 'Ann@Example.com']) {
      const v = await h.visitor(email);
      v.s.send({ t: 'end', id: 'e' });
      await v.s.next({ id: 'e' });
      ended.push(v.conversationId);
      await TestSocket.wait(5);
    }
    await h.visitor('ann@example.com'); // open: never exported
  });
  afterAll(() => h?.cleanup());

  it('writes one JSON line per ended conversation, newest end first, with its events', () => {
    const run = exportOf(h.dataDir);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { conversationId: string; status: string; events: { type: string }[] });
    expect(lines.map((r) => r.conversationId)).toEqual([...ended].reverse());
    for (const r of lines) {
      expect(r.status).toBe('missed');
      expect(r.events.map((e) => e.type)).toEqual(['requested', 'ended']);
    }
  });

  it('filters by email, whatever its case, and by end time', () => {
    const byEmail = exportOf(h.dataDir, '--email', 'ANN@example.com');
    expect(byEmail.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { conversationId: string }).conversationId)).toEqual([ended[2], ended[0]]);
    const none = exportOf(h.dataDir, '--until', '2000-01-01T00:00:00Z');
    expect(none.status).toBe(0);
    expect(none.stdout).toBe('');
  });

  it('refuses a bad filter as a usage error and writes nothing', () => {
    const bad = exportOf(h.dataDir, '--since', 'yesterday');
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('since must be an ISO 8601 time');
  });
});
