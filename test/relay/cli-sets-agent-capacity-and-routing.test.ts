/**
 * The CLI's side of routing: `agent add --capacity N`, `agent capacity ID N` (later
 * changes), `agent list` showing each capacity, and `--routing` checked strictly.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI, ensureRelayBuilt, ROOT } from './build-relay.js';

let data: string;
beforeAll(() => {
  ensureRelayBuilt();
  data = mkdtempSync(join(tmpdir(), 'parley-cli-capacity-'));
}, 120_000);
afterAll(() => rmSync(data, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });

it('adds an agent with a capacity, changes it later, and lists it', () => {
  const added = run('agent', 'add', '--name', 'Jane Doe', '--capacity', '5', '--data', data);
  expect(added.status).toBe(0);
  const id = /\(id (\S+)\)/.exec(added.stdout)![1]!;
  expect(added.stdout).toContain('5 chats at once');
  expect(run('agent', 'list', '--data', data).stdout).toContain(`${id}\tJane Doe\t5 chats at once`);
  expect(run('agent', 'capacity', id, '2', '--data', data)).toMatchObject({ status: 0, stdout: `agent ${id} may now have 2 chats at once\n` });
  expect(run('agent', 'list', '--data', data).stdout).toContain('Jane Doe\t2 chats at once');
  expect(run('agent', 'capacity', 'nobody', '2', '--data', data)).toMatchObject({ status: 1, stderr: expect.stringContaining('no agent with id nobody') });
  expect(run('agent', 'capacity', id, '0', '--data', data)).toMatchObject({ status: 2, stderr: expect.stringContaining('capacity must be a whole number from 1 to 100') });
  expect(run('agent', 'add', '--name', 'Bo', '--capacity', 'lots', '--data', data).status).toBe(2);
  const plain = run('agent', 'add', '--name', 'Bo Stone', '--data', data);
  expect(plain.stdout).toContain('3 chats at once');
});

it('takes --routing manual or auto, and whole seconds for the offer and gone agents', () => {
  expect(run('--routing', 'round-robin', '--data', data)).toMatchObject({ status: 2, stderr: expect.stringContaining('--routing must be manual or auto') });
  expect(run('--offer-seconds', '0', '--data', data)).toMatchObject({ status: 2, stderr: expect.stringContaining('--offer-seconds must be a whole number of seconds') });
  expect(run('--agent-gone-seconds', '2m', '--data', data)).toMatchObject({ status: 2, stderr: expect.stringContaining('--agent-gone-seconds must be') });
});
