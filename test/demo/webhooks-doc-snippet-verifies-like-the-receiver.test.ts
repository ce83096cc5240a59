/**
 * The verification snippet of docs/webhooks.md ("Verifying a delivery") is complete
 * and correct: taken from the page as it stands and run, it accepts a body signed here
 * and refuses a wrong secret, a changed body and a timestamp 6 minutes old, as
 * demo/case-receiver.mjs does. So the page cannot drift from what works.
 */
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endedBody, loadReceiver, nowSeconds, sign } from './receiver.js';

type Verify = (header: string | undefined, body: Buffer, secret: string) => boolean;

let dir: string;
let verifyParley: Verify;

beforeAll(async () => {
  const page = await readFile(new URL('../../docs/webhooks.md', import.meta.url), 'utf8');
  const section = page.slice(page.indexOf('## Verifying a delivery'));
  const snippet = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  expect(snippet, 'a ```js block under "## Verifying a delivery"').toBeTruthy();
  dir = await mkdtemp(join(tmpdir(), 'parley-doc-snippet-'));
  const file = join(dir, 'verify.mjs');
  await writeFile(file, `${snippet}\nexport { verifyParley };\n`);
  ({ verifyParley } = (await import(pathToFileURL(file).href)) as { verifyParley: Verify });
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('docs/webhooks.md: the verification snippet', () => {
  const secret = 'whsec-doc';
  const body = endedBody('delivery-doc');
  const bytes = Buffer.from(body);

  it('accepts a good signature, and any one of several v1 values', () => {
    expect(verifyParley(sign(body, secret), bytes, secret)).toBe(true);
    const t = nowSeconds();
    const other = sign(body, 'another-secret', t).split(',')[1];
    expect(verifyParley(`${sign(body, secret, t)}, ${other}`, bytes, secret)).toBe(true);
    expect(verifyParley(`t=${t},${other},${sign(body, secret, t).split(',')[1]}`, bytes, secret)).toBe(true);
  });

  it('refuses a wrong secret, a changed body, a stale timestamp, and no or a malformed header', () => {
    expect(verifyParley(sign(body, 'another-secret'), bytes, secret)).toBe(false);
    expect(verifyParley(sign(body, secret), Buffer.from(body.replace('Ann', 'Bob')), secret)).toBe(false);
    expect(verifyParley(sign(body, secret, nowSeconds() - 6 * 60), bytes, secret)).toBe(false);
    expect(verifyParley(undefined, bytes, secret)).toBe(false);
    expect(verifyParley(`t=${nowSeconds()},v1=zz`, bytes, secret)).toBe(false);
  });

  it('agrees with the demo receiver', async () => {
    const { verifySignature } = await loadReceiver();
    for (const [header, key] of [
      [sign(body, secret), secret],
      [sign(body, secret), 'another-secret'],
      [sign(body, secret, nowSeconds() - 6 * 60), secret],
      [sign(body, secret, nowSeconds() - 4 * 60), secret],
    ] as const) {
      expect(verifyParley(header, bytes, key)).toBe(verifySignature(header, bytes, key).ok);
    }
  });
});
