/**
 * Parses frames from a visitor's socket (docs/protocol.md, "Visitor frames") into typed frames or
 * refusals. The relay calls this once per frame; nothing downstream re-checks.
 */
import type { PageInfo } from './events.js';
import type { RatingRequest, ReadRequest, VisitorFrame } from './frames.js';
import { MAX_NAME_LENGTH, MAX_NOTE_LENGTH, MAX_PAGE_TITLE_LENGTH, MAX_PAGE_URL_LENGTH } from './limits.js';
import {
  bool,
  isObj,
  oneOf,
  opt,
  parseObject,
  parseWith,
  req,
  requestId,
  seqNumber,
  str,
  type Obj,
  type ParseResult,
} from './read-fields.js';
import { isOpaqueId, isToken, isUuid, isWellFormed, normalizeEmail, normalizeLine, normalizeText } from './values.js';

export const opaqueId = (v: unknown): string | null => (isOpaqueId(v) ? v : null);
export const uuid = (v: unknown): string | null => (isUuid(v) ? v.toLowerCase() : null);
export const messageText = str(normalizeText);
export const token = (v: unknown): string | null => (isToken(v) ? v : null);

/** A visitor's name: '' counts as no name. */
const visitorName = str((s) => normalizeLine(s, MAX_NAME_LENGTH));

/**
 * The page a chat starts from. The address must be http(s) and at most 2,048
 * characters; the title is display-only, so a long one is cut to 300 characters and
 * control characters become spaces rather than refusing the chat.
 */
function page(v: unknown): PageInfo | null {
  if (!isObj(v)) return null;
  const url = v['url'];
  const title = v['title'] ?? '';
  // No control characters (JSON would write each as six bytes, on every agent's list).
  if (typeof url !== 'string' || url.length > MAX_PAGE_URL_LENGTH || !/^https?:\/\//i.test(url)) return null;
  if (!isWellFormed(url) || /[\u0000-\u001f\u007f-\u009f]/.test(url)) return null;
  if (typeof title !== 'string' || !isWellFormed(title)) return null;
  return { url, title: Array.from(title.replace(/[\u0000-\u001f\u007f]/g, ' ').trim()).slice(0, MAX_PAGE_TITLE_LENGTH).join('') };
}

const locale = str((s) => (/^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/.test(s) ? s : null));

/** A rating's fields, the same in the `rate` frame and the body of `POST /v1/rating`. */
const ratingFields = (o: Obj): RatingRequest => ({
  value: req(o, 'value', oneOf('up', 'down'), 'up or down'),
  comment: opt(o, 'comment', str((s) => normalizeText(s, MAX_NOTE_LENGTH)), `text of 1 to ${MAX_NOTE_LENGTH} characters`),
});

const visitorFrames: Record<string, (o: Obj) => VisitorFrame> = {
  hello: (o) => ({
    t: 'hello',
    id: req(o, 'id', requestId, 'a string of 1 to 64 characters'),
    email: req(o, 'email', str(normalizeEmail), 'an email address'),
    name: opt(o, 'name', visitorName, 'at most 100 characters of text') || undefined,
    page: opt(o, 'page', page, 'an object {url, title} with an http(s) url'),
    locale: opt(o, 'locale', locale, 'a language tag'),
    signature: opt(o, 'signature', str((s) => (/^[0-9a-fA-F]{64}$/.test(s) ? s.toLowerCase() : null)), '64 hex characters (HMAC-SHA256)'),
    message: opt(o, 'message', messageText, 'text of 1 to 4000 characters'),
  }),
  resume: (o) => ({
    t: 'resume',
    id: req(o, 'id', requestId, 'a string of 1 to 64 characters'),
    token: req(o, 'token', token, 'a token'),
    conversationId: req(o, 'conversationId', opaqueId, 'a conversation id'),
    afterSeq: req(o, 'afterSeq', seqNumber, 'a whole number, 0 or more'),
  }),
  send: (o) => ({
    t: 'send',
    id: opt(o, 'id', requestId, 'a string of 1 to 64 characters'),
    clientId: req(o, 'clientId', uuid, 'a UUID'),
    text: req(o, 'text', messageText, 'text of 1 to 4000 characters'),
  }),
  typing: (o) => ({ t: 'typing', on: req(o, 'on', bool, 'true or false') }),
  read: (o) => ({ t: 'read', upToSeq: req(o, 'upToSeq', seqNumber, 'a whole number, 0 or more') }),
  cancel_upload: (o) => ({
    t: 'cancel_upload',
    id: opt(o, 'id', requestId, 'a string of 1 to 64 characters'),
    requestId: req(o, 'requestId', opaqueId, 'an upload request id'),
  }),
  end: (o) => ({ t: 'end', id: opt(o, 'id', requestId, 'a string of 1 to 64 characters') }),
  rate: (o) => ({ t: 'rate', id: opt(o, 'id', requestId, 'a string of 1 to 64 characters'), ...ratingFields(o) }),
  ping: (o) => ({ t: 'ping', id: opt(o, 'id', requestId, 'a string of 1 to 64 characters') }),
};

/** The body of `POST /v1/rating` from its raw text, by the `rate` frame's rules. Never throws. */
export function parseRatingBody(raw: string): ParseResult<RatingRequest> {
  return parseObject(raw, ratingFields);
}

/** The body of `POST /v1/read` from its raw text, by the `read` frame's rules. Never throws. */
export function parseReadBody(raw: string): ParseResult<ReadRequest> {
  return parseObject(raw, (o) => ({ upToSeq: req(o, 'upToSeq', seqNumber, 'a whole number, 0 or more') }));
}

/** One visitor frame from its raw text. Never throws. */
export function parseVisitorFrame(raw: string): ParseResult<VisitorFrame> {
  return parseWith(raw, visitorFrames);
}

