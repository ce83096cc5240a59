/**
 * The upload rules of the conversation service (docs/protocol.md, "Uploads and
 * downloads"): the owner asks for one file at a time, its visitor or the owner may
 * cancel the request, and a body is taken only from the conversation's visitor, for
 * the request still open on a live conversation. Receiving and keeping the bytes is
 * `uploads.ts`'s (HTTP) job.
 */
import { MAX_FILE_BYTES, type AgentRef, type EventBody, type LogEvent } from '../protocol/index.js';
import type { ConversationCache } from './conversation-cache.js';
import type { ConversationLog } from './conversation-log.js';
import type { Actor } from './conversations.js';
import { done, fail, type Outcome } from './errors.js';
import { hashToken, newId } from './ids.js';
import type { FileRecord, Store } from './store.js';

/** Upload requests and the files that answer them. */
export class UploadRequests {
  constructor(
    private readonly store: Store,
    private readonly cache: ConversationCache,
    private readonly log: ConversationLog,
    /** Checks a visitor token against a conversation. */
    private readonly authenticate: (id: string, token: string) => boolean,
  ) {}

  /** Asks the visitor for one file. */
  requestUpload(agent: AgentRef, id: string, note?: string): Outcome<{ requestId: string }> {
    const e = this.cache.owned(agent, id);
    if (!e.ok) return e;
    if (e.value.state.openUpload) return fail('conflict', 'an upload request is already open');
    const requestId = newId();
    const body: EventBody = { type: 'upload_requested', requestId, agent, maxBytes: MAX_FILE_BYTES, ...(note ? { note } : {}) };
    this.store.addUploadRequest({ requestId, conversationId: id, agentId: agent.id, at: this.log.at() });
    const out = this.log.commit(id, [body]);
    return out.ok ? done({ requestId }) : out;
  }

  /** Cancels the open upload request (its visitor or the owner). */
  cancelUpload(actor: Actor, id: string, requestId: string): Outcome<void> {
    const e = actor.kind === 'agent' ? this.cache.owned(actor.agent, id) : this.cache.live(id);
    if (!e.ok) return e;
    const req = this.store.getUploadRequest(requestId);
    if (!req || req.conversationId !== id) return fail('not_found', 'no such upload request');
    if (e.value.state.openUpload?.requestId !== requestId) return fail('conflict', 'this upload request is no longer open');
    const out = this.log.commit(id, [{ type: 'upload_canceled', requestId, by: actor.kind }]);
    return out.ok ? done(undefined) : out;
  }

  /**
   * Checks that a visitor token may upload to `requestId` now: 404 no request, 403 not
   * this conversation's, 409 not open. Returns the conversation id.
   */
  uploadTarget(requestId: string, token: string): Outcome<{ conversationId: string }> {
    const req = this.store.getUploadRequest(requestId);
    if (!req) return fail('not_found', 'no such upload request');
    if (!this.authenticate(req.conversationId, token)) return fail('forbidden', 'this upload request belongs to another conversation');
    const e = this.cache.entry(req.conversationId)!;
    if (e.state.status === 'ended') return fail('conflict', 'this conversation has ended');
    if (e.state.openUpload?.requestId !== requestId) return fail('conflict', 'this upload request is no longer open');
    return done({ conversationId: req.conversationId });
  }

  /** Records an uploaded file and appends its `file` event (the request must still be open). */
  fileUploaded(rec: FileRecord): Outcome<LogEvent> {
    const e = this.cache.entry(rec.conversationId);
    if (!e) return fail('not_found', 'no such conversation');
    if (e.state.status === 'ended' || e.state.openUpload?.requestId !== rec.requestId) {
      return fail('conflict', 'this upload request is no longer open');
    }
    this.store.addFile(rec);
    const out = this.log.commit(rec.conversationId, [
      { type: 'file', requestId: rec.requestId, fileId: rec.fileId, name: rec.name, size: rec.size, mime: rec.mime },
    ]);
    return out.ok ? done(out.value[0]!) : out;
  }

  /** A file's metadata when `token` is its conversation's visitor token or any agent token. */
  fileFor(fileId: string, token: string): FileRecord | null {
    const f = this.store.getFile(fileId);
    if (!f) return null;
    if (this.authenticate(f.conversationId, token)) return f;
    return this.store.getAgentByTokenHash(hashToken(token)) ? f : null;
  }
}
