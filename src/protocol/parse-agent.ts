/**
 * Parses frames from an agent's socket (docs/protocol.md, "Agent frames") into typed frames or
 * refusals. The relay calls this once per frame; nothing downstream re-checks.
 */
import type { AgentFrame } from './frames.js';
import { MAX_NOTE_LENGTH } from './limits.js';
import { bool, oneOf, opt, parseWith, req, requestId, seqNumber, str, type Obj, type ParseResult } from './read-fields.js';
import { messageText, opaqueId, token, uuid } from './parse-visitor.js';
import { normalizeText } from './values.js';

const idText = 'a string of 1 to 64 characters';
const convText = 'a conversation id';
const noteText = str((s) => normalizeText(s, MAX_NOTE_LENGTH));
const noteWhat = `text of 1 to ${MAX_NOTE_LENGTH} characters`;
/** Block ids are opaque ids, or `b<n>` for blocks made before blocks had ids. */
const blockId = str((s) => (/^(?:[A-Za-z0-9_-]{22}|b[0-9]{1,15})$/.test(s) ? s : null));
/** A list cursor is the relay's own short token; its meaning is the relay's business. */
const listCursor = str((s) => (/^[A-Za-z0-9_.:-]{1,64}$/.test(s) ? s : null));

const agentFrames: Record<string, (o: Obj) => AgentFrame> = {
  hello: (o) => ({ t: 'hello', id: req(o, 'id', requestId, idText), token: req(o, 'token', token, 'an agent token') }),
  status: (o) => ({
    t: 'status',
    id: opt(o, 'id', requestId, idText),
    value: req(o, 'value', oneOf('online', 'away', 'offline'), 'online, away or offline'),
  }),
  watch: (o) => ({
    t: 'watch',
    id: req(o, 'id', requestId, idText),
    conversationId: req(o, 'conversationId', opaqueId, convText),
    afterSeq: req(o, 'afterSeq', seqNumber, 'a whole number, 0 or more'),
  }),
  list: (o) => ({
    t: 'list',
    id: req(o, 'id', requestId, idText),
    cursor: req(o, 'cursor', listCursor, 'a cursor from welcome or list'),
  }),
  claim: (o) => ({
    t: 'claim',
    id: req(o, 'id', requestId, idText),
    conversationId: req(o, 'conversationId', opaqueId, convText),
  }),
  send: (o) => ({
    t: 'send',
    id: opt(o, 'id', requestId, idText),
    conversationId: req(o, 'conversationId', opaqueId, convText),
    clientId: req(o, 'clientId', uuid, 'a UUID'),
    text: req(o, 'text', messageText, 'text of 1 to 4000 characters'),
  }),
  request_upload: (o) => ({
    t: 'request_upload',
    id: req(o, 'id', requestId, idText),
    conversationId: req(o, 'conversationId', opaqueId, convText),
    note: opt(o, 'note', noteText, noteWhat),
  }),
  cancel_upload: (o) => ({
    t: 'cancel_upload',
    id: opt(o, 'id', requestId, idText),
    conversationId: req(o, 'conversationId', opaqueId, convText),
    requestId: req(o, 'requestId', opaqueId, 'an upload request id'),
  }),
  transfer: (o) => ({
    t: 'transfer',
    id: req(o, 'id', requestId, idText),
    conversationId: req(o, 'conversationId', opaqueId, convText),
    toAgentId: opt(o, 'toAgentId', opaqueId, 'an agent id'),
    note: opt(o, 'note', noteText, noteWhat),
  }),
  end: (o) => ({
    t: 'end',
    id: opt(o, 'id', requestId, idText),
    conversationId: req(o, 'conversationId', opaqueId, convText),
  }),
  block: (o) => ({
    t: 'block',
    id: opt(o, 'id', requestId, idText),
    conversationId: req(o, 'conversationId', opaqueId, convText),
    comment: opt(o, 'comment', noteText, noteWhat),
    byAddress: opt(o, 'byAddress', bool, 'true or false'),
  }),
  unwatch: (o) => ({
    t: 'unwatch',
    id: opt(o, 'id', requestId, idText),
    conversationId: req(o, 'conversationId', opaqueId, convText),
  }),
  blocks: (o) => ({ t: 'blocks', id: req(o, 'id', requestId, idText) }),
  unblock: (o) => ({
    t: 'unblock',
    id: opt(o, 'id', requestId, idText),
    blockId: req(o, 'blockId', blockId, 'a block id'),
  }),
  note: (o) => ({
    t: 'note',
    id: opt(o, 'id', requestId, idText),
    conversationId: req(o, 'conversationId', opaqueId, convText),
    text: req(o, 'text', noteText, noteWhat),
  }),
  typing: (o) => ({
    t: 'typing',
    conversationId: req(o, 'conversationId', opaqueId, convText),
    on: req(o, 'on', bool, 'true or false'),
  }),
  read: (o) => ({
    t: 'read',
    conversationId: req(o, 'conversationId', opaqueId, convText),
    upToSeq: req(o, 'upToSeq', seqNumber, 'a whole number, 0 or more'),
  }),
  accept: (o) => ({ t: 'accept', id: req(o, 'id', requestId, idText), conversationId: req(o, 'conversationId', opaqueId, convText) }),
  decline: (o) => ({ t: 'decline', id: opt(o, 'id', requestId, idText), conversationId: req(o, 'conversationId', opaqueId, convText) }),
  withdraw: (o) => ({ t: 'withdraw', id: opt(o, 'id', requestId, idText), conversationId: req(o, 'conversationId', opaqueId, convText) }),
  invite: (o) => ({
    t: 'invite',
    id: req(o, 'id', requestId, idText),
    conversationId: req(o, 'conversationId', opaqueId, convText),
    toAgentId: req(o, 'toAgentId', opaqueId, 'an agent id'),
  }),
  leave: (o) => ({ t: 'leave', id: opt(o, 'id', requestId, idText), conversationId: req(o, 'conversationId', opaqueId, convText) }),
  ping: (o) => ({ t: 'ping', id: opt(o, 'id', requestId, idText) }),
};

/** One agent frame from its raw text. Never throws. */
export function parseAgentFrame(raw: string): ParseResult<AgentFrame> {
  return parseWith(raw, agentFrames);
}
