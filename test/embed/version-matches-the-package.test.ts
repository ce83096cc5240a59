// window.Parley.version is what a site's support staff read to know which widget
// a page runs; it must be the package's own version, not a copy that drifts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/embed/loader.js';

describe('Parley.version', () => {
  it('is the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
