// window.Parley.version is what a site's support staff read to know which widget
// a page runs; it must be the packages' own version, not a copy that drifts. The two
// packages (and the repository) are released together, at one version.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/embed/loader.js';

const versionOf = (path: string) => (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version: string }).version;

describe('Parley.version', () => {
  it('is the version of the packages parley-chat and parley-relay', () => {
    expect(VERSION).toBe(versionOf('../../packages/parley-chat/package.json'));
    expect(versionOf('../../packages/parley-relay/package.json')).toBe(VERSION);
    expect(versionOf('../../package.json')).toBe(VERSION);
  });
});
