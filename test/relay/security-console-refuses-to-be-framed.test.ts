/**
 * Security proof for the agent console's page: another site must not be able to frame
 * it (clickjacking an agent into ending or blocking a chat). A `<meta>` CSP cannot say
 * `frame-ancestors`, so the relay has to send it as a header with the console's files.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from './helpers.js';

describe('GET /console/', () => {
  let h: Harness;
  let consoleDir: string;

  beforeAll(async () => {
    consoleDir = mkdtempSync(join(tmpdir(), 'parley-console-'));
    mkdirSync(consoleDir, { recursive: true });
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');
    h = await Harness.start({ consoleDir });
  });
  afterAll(async () => {
    await h.cleanup();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  it("tells browsers never to frame it (frame-ancestors 'none' or X-Frame-Options DENY)", async () => {
    const res = await fetch(`${h.relay.url}/console/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    const xfo = (res.headers.get('x-frame-options') ?? '').toUpperCase();
    expect(/frame-ancestors\s+'none'/.test(csp) || xfo === 'DENY').toBe(true);
  });
});
