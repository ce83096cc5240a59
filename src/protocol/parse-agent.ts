/**
 * Parses frames from an agent's socket (PROTOCOL.md section 6) into typed frames or
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
  }),
  note: (o) => ({
    t: 'note',
    id: opt(o, 'id', requestId, idText),
    conversationId: req(o, 'conversationId', opaqueId, convText),
    text: req(o, 'text', messageText, 'text of 1 to 4000 characters'),
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
  ping: (o) => ({ t: 'ping', id: opt(o, 'id', requestId, idText) }),
};

/** One agent frame from its raw text. Never throws. */
export function parseAgentFrame(raw: string): ParseResult<AgentFrame> {
  return parseWith(raw, agentFrames);
}
