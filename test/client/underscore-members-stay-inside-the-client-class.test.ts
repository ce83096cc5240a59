// The widget and client builds shorten properties named `_…` (rollup.config.mjs), per
// output file. That is safe only while such names belong to ChatClient and its base
// class, both in the widget's main file: a wire field, a stored key, an option or a
// member read from a lazily loaded chunk must never be named so.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SHORTENED = ['src/client', 'src/widget', 'src/embed', 'src/protocol', 'src/transport'];
const OWNERS = new Set(['src/client/client-core.ts', 'src/client/chat-client.ts']);
// A property access or a key (`._x`, `_x:` in an object), not a parameter named `_x`.
const MEMBER = /\._[a-z]\w*|[{,]\s*_[a-z]\w*\s*:/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

describe('members named _… (shortened by the minifier)', () => {
  it('appear only in ChatClient and ClientCore', () => {
    const strays = SHORTENED.flatMap(files)
      .filter((f) => !OWNERS.has(f))
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').map((line, i) => ({ f, i, line })))
      .filter(({ line }) => MEMBER.test(line))
      .map(({ f, i, line }) => `${f}:${i + 1}: ${line.trim()}`);
    expect(strays).toEqual([]);
  });

  it('are there to be found in the owners (the check looks at the right files)', () => {
    for (const f of OWNERS) expect(readFileSync(f, 'utf8')).toMatch(MEMBER);
  });
});
