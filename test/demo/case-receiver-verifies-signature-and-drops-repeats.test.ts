/**
 * demo/case-receiver.mjs, run in-process on 127.0.0.1 over a temporary folder, with
 * bodies signed here (the HMAC computed by the test, not by the receiver): a good
 * signature writes the conversation's case file with its whole history; a wrong secret
 * or a timestamp 6 minutes old gets 401 and writes nothing; a repeated delivery id gets
 * 200 and writes nothing again, also after a restart over the same folder; a body over
 * 10 MiB gets 413, whatever its headers said. The case file shows the customer's words
 * as text, never as terminal controls.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliver, endedBody, loadReceiver, nowSeconds, sign, startReceiver, transcript } from './receiver.js';

const SECRET = 'whsec-test-1';
const CONVERSATION = 'S1IOr-4cevgDztmmuT9H9A';

let dir: string;
const stops: (() => Promise<void>)[] = [];
const start = async (options: { secret?: string | string[]; maxBodyBytes?: number } = {}) => {
  const receiver = await startReceiver({ secret: SECRET, dir, ...options });
  stops.push(receiver.stop);
  return receiver;
};
/** The files a reader of the folder sees: the case files, not the receiver's own. */
const caseFiles = async () => (await readdir(dir)).filter((f) => !f.startsWith('.'));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-cases-'));
});
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
  await rm(dir, { recursive: true, force: true });
});

describe('case receiver: signatures', () => {
  it('writes the case file, with the customer, the page, the agents and the whole history, for a good signature', async () => {
    const { url } = await start();
    const body = endedBody('delivery-1');
    const res = await deliver(url, body, sign(body, SECRET));
    expect(res).toEqual({ status: 200, text: 'case written\n' });

    expect(await caseFiles()).toEqual([`${CONVERSATION}.txt`]);
    const text = await readFile(join(dir, `${CONVERSATION}.txt`), 'utf8');
    expect(text).toContain(`Case ${CONVERSATION}: completed`);
    expect(text).toContain('Ann <ann@example.com> (email not verified)');
    expect(text).toContain('https://shop.example/cart (Cart)');
    expect(text).toContain('Agents:          Jane Doe, Bo');
    expect(text).toContain('waited 30 s');
    expect(text).toContain('label photo.jpg (48213 bytes)');
    const history = text.slice(text.indexOf('History'));
    const order = [
      '2026-01-31T12:00:00.000Z  Ann started the chat on https://shop.example/cart',
      '2026-01-31T12:00:30.000Z  Jane Doe joined the chat',
      '2026-01-31T12:00:40.000Z  Ann: Hi, where is my order?',
      '2026-01-31T12:00:52.000Z  Jane Doe: Hello Ann, let me check.',
      '2026-01-31T12:01:00.000Z  [internal note] Jane Doe: Order 1042 is stuck in customs',
      '2026-01-31T12:02:00.000Z  Jane Doe transferred the chat to Bo (note: customs case)',
      '2026-01-31T12:04:00.000Z  Ann sent a file: label photo.jpg (48213 bytes, image/jpeg)',
      '2026-01-31T12:05:00.000Z  Bo: Released today.\n                          It ships tomorrow.',
      '2026-01-31T12:06:00.000Z  the chat was ended by Bo',
    ];
    const positions = order.map((line) => history.indexOf(line));
    expect(positions.every((p) => p >= 0), `history:\n${history}`).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('writes text as text: control and bidi-override characters become U+FFFD, line ends start indented lines', async () => {
    const { caseText } = await loadReceiver();
    const record = transcript();
    record.events[2] = { ...record.events[2]!, type: 'message', from: 'visitor', text: 'one\r\ntwo \u009b31m \u202eevil', clientId: 'c1', internal: false } as (typeof record.events)[number];
    const text = caseText(record, { id: 'delivery-text', createdAt: '2026-01-31T12:06:00.000Z' });
    expect(text).toContain(`Ann: one\n${' '.repeat(26)}two \uFFFD31m \uFFFDevil\n`);
  });

  it('accepts any one of several v1 signatures (a relay rotating its secret)', async () => {
    const { url } = await start({ secret: ['old-secret', SECRET] });
    const body = endedBody('delivery-rotated');
    const t = nowSeconds();
    const other = sign(body, 'not-this-one', t).split(',')[1];
    const res = await deliver(url, body, `${sign(body, 'old-secret', t)},${other}`);
    expect(res.status).toBe(200);
    expect(await caseFiles()).toEqual([`${CONVERSATION}.txt`]);
  });

  it('refuses a wrong secret with 401 and writes nothing', async () => {
    const { url, log } = await start();
    const body = endedBody('delivery-wrong-secret');
    const res = await deliver(url, body, sign(body, 'someone-elses-secret'));
    expect(res.status).toBe(401);
    expect(res.text).toContain('signature does not match');
    expect(await readdir(dir)).toEqual([]);
    expect(log.join('\n')).toContain('answered 401');
  });

  it('refuses a body changed after signing with 401', async () => {
    const { url } = await start();
    const body = endedBody('delivery-changed');
    const res = await deliver(url, body.replace('Hi, where is my order?', 'Hi, where is my refund?'), sign(body, SECRET));
    expect(res.status).toBe(401);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a timestamp 6 minutes old (or ahead) with 401, even when correctly signed', async () => {
    const { url } = await start();
    const body = endedBody('delivery-stale');
    const old = await deliver(url, body, sign(body, SECRET, nowSeconds() - 6 * 60));
    expect(old.status).toBe(401);
    expect(old.text).toMatch(/timestamp is 36\d s old, more than the 300 s allowed/);
    const ahead = await deliver(url, body, sign(body, SECRET, nowSeconds() + 6 * 60));
    expect(ahead.status).toBe(401);
    expect(ahead.text).toContain('in the future');
    expect(await readdir(dir)).toEqual([]);
  });

  it('answers 401 without a signature and 400 for a malformed one or a body that is not a delivery', async () => {
    const { url } = await start();
    const body = endedBody('delivery-malformed');
    expect((await fetch(url, { method: 'POST', body })).status).toBe(401);
    expect((await deliver(url, body, 'v1=abc')).status).toBe(400);
    expect((await deliver(url, body, `t=${nowSeconds()},v1=not-hex`)).status).toBe(400);
    const notJson = 'not json';
    expect(await deliver(url, notJson, sign(notJson, SECRET), 'x')).toEqual({ status: 400, text: 'body is not JSON\n' });
    const traversal = endedBody('delivery-traversal', transcript('../../escape'));
    expect((await deliver(url, traversal, sign(traversal, SECRET))).status).toBe(400);
    expect((await deliver(url, body, sign(body, SECRET), 'another-id')).text).toContain('Parley-Delivery does not match');
    expect(await readdir(dir)).toEqual([]);
  });

  it('answers 200 to an event type it does not know, and writes no case', async () => {
    const { url, log } = await start();
    const body = JSON.stringify({ id: 'delivery-future', type: 'conversation.rated', createdAt: new Date().toISOString(), data: {} });
    const res = await deliver(url, body, sign(body, SECRET));
    expect(res.status).toBe(200);
    expect(await caseFiles()).toEqual([]);
    expect(log).toContain('ignored event type "conversation.rated" (delivery delivery-future)');
  });
});

describe('case receiver: repeated deliveries', () => {
  it('answers a repeated delivery id with 200 and does not write the case again', async () => {
    const { url, log } = await start();
    const body = endedBody('delivery-twice');
    expect((await deliver(url, body, sign(body, SECRET))).status).toBe(200);
    // Mark the file: a second write would replace it.
    const file = join(dir, `${CONVERSATION}.txt`);
    await writeFile(file, 'edited by hand\n');

    const again = await deliver(url, body, sign(body, SECRET)); // a retry: same id, new timestamp
    expect(again).toEqual({ status: 200, text: 'delivery delivery-twice already received\n' });
    expect(await readFile(file, 'utf8')).toBe('edited by hand\n');
    expect(log.filter((line) => line.startsWith(`case ${CONVERSATION}: wrote`))).toHaveLength(1);
    expect(log).toContain('dropped repeated delivery delivery-twice');
  });

  it('still drops the repeat after a restart over the same folder', async () => {
    const first = await start();
    const body = endedBody('delivery-across-restart');
    expect((await deliver(first.url, body, sign(body, SECRET))).status).toBe(200);
    await first.stop();
    const file = join(dir, `${CONVERSATION}.txt`);
    await writeFile(file, 'edited by hand\n');

    const second = await start();
    const again = await deliver(second.url, body, sign(body, SECRET));
    expect(again.status).toBe(200);
    expect(again.text).toContain('already received');
    expect(await readFile(file, 'utf8')).toBe('edited by hand\n');
    expect(second.log).toEqual(['dropped repeated delivery delivery-across-restart']);
  });

  it('writes a second delivery of the same conversation (another id) over the first, leaving no temporary files', async () => {
    const { url } = await start();
    const body = endedBody('delivery-a');
    expect((await deliver(url, body, sign(body, SECRET))).status).toBe(200);
    const file = join(dir, `${CONVERSATION}.txt`);
    await writeFile(file, 'edited by hand\n');
    const other = endedBody('delivery-b');
    expect((await deliver(url, other, sign(other, SECRET))).status).toBe(200);
    expect(await readFile(file, 'utf8')).toContain('Delivery:        delivery-b');
    expect((await readdir(dir)).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
  });

  it('handles the same delivery arriving twice at once once', async () => {
    const { url, log } = await start();
    const body = endedBody('delivery-concurrent');
    const both = await Promise.all([deliver(url, body, sign(body, SECRET)), deliver(url, body, sign(body, SECRET))]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(both.map((r) => r.text).sort()).toEqual(['case written\n', 'delivery delivery-concurrent already received\n']);
    expect(log.filter((line) => line.startsWith(`case ${CONVERSATION}: wrote`))).toHaveLength(1);
  });
});

describe('case receiver: body size', () => {
  it('answers 413 to a body over 10 MiB announced by Content-Length, and writes nothing', async () => {
    const { MAX_BODY_BYTES } = await loadReceiver();
    expect(MAX_BODY_BYTES).toBe(10 * 1024 * 1024);
    const { url } = await start();
    const body = 'x'.repeat(MAX_BODY_BYTES + 1);
    const res = await deliver(url, body, sign(body, SECRET), 'delivery-huge');
    expect(res).toEqual({ status: 413, text: `body is larger than ${MAX_BODY_BYTES} bytes\n` });
    expect(await readdir(dir)).toEqual([]);
  });

  it('answers 413 to a chunked body that grows past the limit, whatever its headers said', async () => {
    const { url } = await start({ maxBodyBytes: 1024 });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('x'.repeat(800));
      req.end('x'.repeat(800));
    });
    expect(status).toBe(413);
    expect(await readdir(dir)).toEqual([]);
  });
});
