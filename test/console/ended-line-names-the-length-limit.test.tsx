// @vitest-environment happy-dom
// The relay ends a chat whose log reached its length limit with
// `ended {by: "system", reason: "log_full"}`; the agent's transcript says why.
import { afterEach, describe, expect, it } from 'vitest';
import { noticeText } from '../../src/console/words.js';
import { JANE } from '../fake-relay/model.js';
import { mountConsole, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

describe('a chat ended at its length limit', () => {
  it('reads as such in words', () => {
    const text = noticeText({ type: 'ended', by: 'system', reason: 'log_full', seq: 9, at: '2026-03-02T14:05:00.000Z' });
    expect(text).toBe('The chat ended: it reached its length limit');
  });

  it('shows that line in the transcript', async () => {
    h = await mountConsole();
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
    });
    await h.step(() => h!.root.querySelector<HTMLElement>('.tile')!.click());
    await h.step(() => h!.relay.append('c1', { type: 'ended', by: 'system', reason: 'log_full' }));
    const notices = [...h.root.querySelectorAll('.transcript .notice')].map((n) => n.textContent);
    expect(notices).toContain('The chat ended: it reached its length limit');
  });
});
