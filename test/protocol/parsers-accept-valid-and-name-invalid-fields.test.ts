// The frame parsers accept every valid frame of PROTOCOL.md and refuse each invalid
// field by name, with the documented error codes.
import { describe, expect, it } from 'vitest';
import { parseAgentFrame, parseVisitorFrame } from '../../src/protocol/index.js';

const UUID = '0b6f2a3e-2c1d-4e5f-8a9b-0c1d2e3f4a5b';
const TOKEN = 'abcdefghijklmnopqrstuvwxyz012345_-ABC';

const ok = (r: ReturnType<typeof parseVisitorFrame> | ReturnType<typeof parseAgentFrame>) => {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.error)}`);
  return r.frame;
};

describe('parseVisitorFrame', () => {
  it.each([
    [{ t: 'hello', id: '1', email: 'ann@example.com' }],
    [{ t: 'hello', id: '1', email: 'ann@example.com', name: 'Ann', page: { url: 'https://shop.example/p', title: 'Shoes' }, locale: 'en-GB' }],
    [{ t: 'resume', id: 'r', token: TOKEN, conversationId: 'c_1', afterSeq: 0 }],
    [{ t: 'send', clientId: UUID, text: 'hi' }],
    [{ t: 'send', id: 'x', clientId: UUID, text: 'hi' }],
    [{ t: 'typing', on: true }],
    [{ t: 'read', upToSeq: 3 }],
    [{ t: 'cancel_upload', requestId: 'req1' }],
    [{ t: 'end' }],
    [{ t: 'ping' }],
  ])('accepts %j', (frame) => {
    expect(ok(parseVisitorFrame(JSON.stringify(frame))).t).toBe(frame.t);
  });

  it('normalises the email domain to lower case and trims the text', () => {
    const hello = ok(parseVisitorFrame(JSON.stringify({ t: 'hello', id: '1', email: ' Ann.Lee@Example.COM ' })));
    expect(hello).toEqual({ t: 'hello', id: '1', email: 'Ann.Lee@example.com' });
    const send = ok(parseVisitorFrame(JSON.stringify({ t: 'send', clientId: UUID, text: '  hi  ' })));
    expect(send).toMatchObject({ text: 'hi' });
  });

  it('ignores unknown fields', () => {
    expect(ok(parseVisitorFrame('{"t":"ping","extra":[1,2]}'))).toEqual({ t: 'ping' });
  });

  it.each([
    ['not json', '{', 'bad_frame'],
    ['an array', '[1]', 'bad_frame'],
    ['a string', '"hello"', 'bad_frame'],
    ['no t', '{"id":"1"}', 'bad_frame'],
    ['unknown t', '{"t":"explode"}', 'bad_frame'],
    ['a prototype key as t', '{"t":"toString"}', 'bad_frame'],
  ])('refuses %s with bad_frame', (_name, raw, code) => {
    const r = parseVisitorFrame(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });

  it.each([
    [{ t: 'hello', email: 'a@b.co' }, 'id'],
    [{ t: 'hello', id: 'x'.repeat(65), email: 'a@b.co' }, 'id'],
    [{ t: 'hello', id: '1' }, 'email'],
    [{ t: 'hello', id: '1', email: 'not-an-email' }, 'email'],
    [{ t: 'hello', id: '1', email: 'a@localhost' }, 'email'],
    [{ t: 'hello', id: '1', email: `${'a'.repeat(250)}@b.co` }, 'email'],
    [{ t: 'hello', id: '1', email: 'a@b.co', name: 'x'.repeat(101) }, 'name'],
    [{ t: 'hello', id: '1', email: 'a@b.co', page: { url: 'javascript:alert(1)', title: '' } }, 'page'],
    [{ t: 'resume', id: '1', token: 'short', conversationId: 'c', afterSeq: 0 }, 'token'],
    [{ t: 'resume', id: '1', token: TOKEN, conversationId: '../x', afterSeq: 0 }, 'conversationId'],
    [{ t: 'resume', id: '1', token: TOKEN, conversationId: 'c', afterSeq: -1 }, 'afterSeq'],
    [{ t: 'resume', id: '1', token: TOKEN, conversationId: 'c', afterSeq: 1.5 }, 'afterSeq'],
    [{ t: 'send', clientId: 'nope', text: 'hi' }, 'clientId'],
    [{ t: 'send', clientId: UUID, text: '   ' }, 'text'],
    [{ t: 'send', clientId: UUID, text: 'x'.repeat(4001) }, 'text'],
    [{ t: 'send', clientId: UUID, text: '\ud800' }, 'text'],
    [{ t: 'send', clientId: UUID, text: 42 }, 'text'],
    [{ t: 'typing', on: 'yes' }, 'on'],
    [{ t: 'read', upToSeq: '3' }, 'upToSeq'],
    [{ t: 'cancel_upload' }, 'requestId'],
  ])('refuses %j naming %s', (frame, field) => {
    const r = parseVisitorFrame(JSON.stringify(frame));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid');
      expect(r.error.field).toBe(field);
    }
  });

  it('accepts exactly 4,000 characters of text', () => {
    expect(parseVisitorFrame(JSON.stringify({ t: 'send', clientId: UUID, text: 'é'.repeat(4000) })).ok).toBe(true);
  });

  it('keeps the request id on a refusal so the reply can carry it', () => {
    const r = parseVisitorFrame(JSON.stringify({ t: 'hello', id: 'req-7', email: 'x' }));
    expect(r.ok ? null : r.id).toBe('req-7');
  });

  it('does not let __proto__ keys change the parsed frame', () => {
    const r = parseVisitorFrame('{"t":"end","__proto__":{"t":"hello","polluted":true}}');
    expect(ok(r)).toEqual({ t: 'end' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('parseAgentFrame', () => {
  const c = 'conv_1';
  it.each([
    [{ t: 'hello', id: '1', token: TOKEN }],
    [{ t: 'status', value: 'away' }],
    [{ t: 'watch', id: '1', conversationId: c, afterSeq: 0 }],
    [{ t: 'claim', id: '1', conversationId: c }],
    [{ t: 'send', conversationId: c, clientId: UUID, text: 'hello' }],
    [{ t: 'request_upload', id: '1', conversationId: c, note: 'Photo of the label, please' }],
    [{ t: 'cancel_upload', conversationId: c, requestId: 'r1' }],
    [{ t: 'transfer', id: '1', conversationId: c, toAgentId: 'a2', note: 'billing' }],
    [{ t: 'transfer', id: '1', conversationId: c }],
    [{ t: 'end', conversationId: c }],
    [{ t: 'block', conversationId: c, comment: 'abuse' }],
    [{ t: 'note', conversationId: c, text: 'VIP customer' }],
    [{ t: 'typing', conversationId: c, on: false }],
    [{ t: 'read', conversationId: c, upToSeq: 9 }],
    [{ t: 'ping', id: 'p' }],
  ])('accepts %j', (frame) => {
    expect(ok(parseAgentFrame(JSON.stringify(frame))).t).toBe(frame.t);
  });

  it.each([
    [{ t: 'hello', id: '1' }, 'token'],
    [{ t: 'status', value: 'busy' }, 'value'],
    [{ t: 'watch', id: '1', conversationId: c }, 'afterSeq'],
    [{ t: 'claim', conversationId: c }, 'id'],
    [{ t: 'send', conversationId: c, clientId: UUID }, 'text'],
    [{ t: 'request_upload', id: '1', conversationId: c, note: 'x'.repeat(1001) }, 'note'],
    [{ t: 'transfer', id: '1', conversationId: c, toAgentId: 'bad id' }, 'toAgentId'],
    [{ t: 'end' }, 'conversationId'],
    [{ t: 'typing', conversationId: c }, 'on'],
  ])('refuses %j naming %s', (frame, field) => {
    const r = parseAgentFrame(JSON.stringify(frame));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'invalid', field });
  });

  it('refuses a visitor-only frame type', () => {
    const r = parseAgentFrame(JSON.stringify({ t: 'resume', id: '1', token: TOKEN, conversationId: c, afterSeq: 0 }));
    expect(r.ok ? null : r.error.code).toBe('bad_frame');
  });
});

describe('page info on hello', () => {
  it('cuts a long page title to 300 characters and turns control characters into spaces', () => {
    const r = parseVisitorFrame(JSON.stringify({ t: 'hello', id: '1', email: 'a@b.co', page: { url: 'https://shop.example/', title: `A\tB${'x'.repeat(400)}` } }));
    const hello = ok(r) as { page?: { url: string; title: string } };
    expect(hello.page?.title).toHaveLength(300);
    expect(hello.page?.title.startsWith('A B')).toBe(true);
  });
  it('refuses a page address over 2,048 characters, naming page', () => {
    const r = parseVisitorFrame(JSON.stringify({ t: 'hello', id: '1', email: 'a@b.co', page: { url: `https://shop.example/?q=${'x'.repeat(2048)}`, title: '' } }));
    expect(r.ok ? null : r.error).toMatchObject({ code: 'invalid', field: 'page' });
  });
});
