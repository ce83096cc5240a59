/**
 * The SQLite store's group commit: a quiet relay commits each group at the end of its
 * event-loop turn; after a busy group (`BUSY_GROUP_WRITES` writes or more) the next one
 * gathers for `GATHER_MS` first, so that one fsync covers more writes. A scheduler given
 * as an option (tests holding commits) is used as given.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { BUSY_GROUP_WRITES, GATHER_MS, GroupCommit } from '../../src/relay/group-commit.js';

afterEach(() => vi.useRealTimers());

/** A group commit counting its commits, and a write that resolves once committed. */
function counted(options = {}) {
  let commits = 0;
  const group = new GroupCommit(() => void commits++, options);
  const write = () => {
    group.wrote();
    return new Promise<void>((resolve, reject) => group.after(resolve, reject));
  };
  return { group, write, commits: () => commits };
}

it('commits a quiet group at the end of the turn, and gathers the group after a busy one', async () => {
  vi.useFakeTimers();
  const g = counted();
  void g.write();
  await vi.advanceTimersToNextTimerAsync(); // setImmediate: the end of the turn
  expect(g.commits()).toBe(1);

  // A busy turn: many writes in one group, still committed at the end of the turn.
  for (let i = 0; i < BUSY_GROUP_WRITES; i++) void g.write();
  await vi.advanceTimersToNextTimerAsync();
  expect(g.commits()).toBe(2);

  // The next group gathers: not committed at the end of its turn, but GATHER_MS later.
  const acked = g.write();
  void g.write();
  await vi.advanceTimersByTimeAsync(GATHER_MS - 1);
  expect(g.commits()).toBe(2);
  await vi.advanceTimersByTimeAsync(1);
  expect(g.commits()).toBe(3);
  await acked;

  // That group was small: the one after it commits at the end of its turn again.
  void g.write();
  await vi.advanceTimersToNextTimerAsync();
  expect(g.commits()).toBe(4);
});

it('uses a scheduler given as an option as given, however busy', async () => {
  const runs: (() => void)[] = [];
  const g = counted({ scheduleCommit: (run: () => void) => void runs.push(run) });
  for (let i = 0; i < BUSY_GROUP_WRITES * 2; i++) void g.write();
  runs.shift()!();
  expect(g.commits()).toBe(1);
  void g.write();
  expect(runs).toHaveLength(1);
  runs.shift()!();
  expect(g.commits()).toBe(2);
});
