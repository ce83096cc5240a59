/**
 * The upload rules of the conversation service (docs/protocol.md, "Uploads and
 * downloads"): the owner asks for one file at a time, its visitor or the owner may
 * cancel the request, and a body is taken only from the conversation's visitor, for
 * the request still open on a live conversation. Receiving and keeping the bytes is
 * `uploads.ts`'s (HTTP) job.
 */
import { isInChat, MAX_FILE_BYTES, type AgentRef, type EventBody, type LogEvent, type UploadFailure } from '../protocol/index.js';
import type { ConversationCache } from './conversation-cache.js';
import type { ConversationLog } from './conversation-log.js';
import type { Actor } from './conversations.js';
import type { Serially } from './handoffs.js';
import { done, fail, type Outcome } from './errors.js';
import { hashToken, newId } from './ids.js';
import type { FileRecord, Store } from './store.js';

/** Upload requests and the files that answer them; each verb runs serially on its conversation. */
export class UploadRequests {
  constructor(
    private readonly store: Store,
    private readonly cache: ConversationCache,
    /** The log, built after this part. */
    private readonly logOf: () => ConversationLog,
    /** Checks a visitor token against a conversation. */
    private readonly authenticate: (id: string, token: string) => Promise<boolean>,
    /** Runs a verb after the others on its conversation here. */
    private readonly serially: Serially,
  ) {}

  /** Asks the visitor for one file (the owner). */
  requestUpload(agent: AgentRef, id: string, note?: string): Promise<Outcome<{ requestId: string }>> {
    return this.serially(id, () => this.requestNow(agent, id, note));
  }

  private async requestNow(agent: AgentRef, id: string, note?: string): Promise<Outcome<{ requestId: string }>> {
    const e = await this.cache.owned(agent, id);
    if (!e.ok) return e;
    if (e.value.state.openUpload) return fail('conflict', 'an upload request is already open');
    const requestId = newId();
    const body: EventBody = { type: 'upload_requested', requestId, agent, maxBytes: MAX_FILE_BYTES, ...(note ? { note } : {}) };
    await this.store.addUploadRequest({ requestId, conversationId: id, agentId: agent.id, at: this.logOf().at() });
    const out = await this.logOf().commit(id, [body]);
    return out.ok ? done({ requestId }) : out;
  }

  /** Cancels the open upload request (its visitor or the owner). */
  cancelUpload(actor: Actor, id: string, requestId: string): Promise<Outcome<void>> {
    return this.serially(id, () => this.cancelNow(actor, id, requestId));
  }

  private async cancelNow(actor: Actor, id: string, requestId: string): Promise<Outcome<void>> {
    const e = actor.kind === 'agent' ? await this.cache.owned(actor.agent, id) : await this.cache.live(id);
    if (!e.ok) return e;
    const req = await this.store.getUploadRequest(requestId);
    if (!req || req.conversationId !== id) return fail('not_found', 'no such upload request');
    if (e.value.state.openUpload?.requestId !== requestId) return fail('conflict', 'this upload request is no longer open');
    const out = await this.logOf().commit(id, [{ type: 'upload_canceled', requestId, by: actor.kind }]);
    return out.ok ? done(undefined) : out;
  }

  /**
   * Checks that a visitor token may upload to `requestId` now: 404 no request, 403 not
   * this conversation's, 409 not open. Returns the conversation id.
   */
  async uploadTarget(requestId: string, token: string): Promise<Outcome<{ conversationId: string }>> {
    const req = await this.store.getUploadRequest(requestId);
    if (!req) return fail('not_found', 'no such upload request');
    if (!(await this.authenticate(req.conversationId, token))) return fail('forbidden', 'this upload request belongs to another conversation');
    const e = await this.cache.entry(req.conversationId);
    if (!e) return fail('not_found', 'no such upload request');
    if (e.state.status === 'ended') return fail('conflict', 'this conversation has ended');
    if (e.state.openUpload?.requestId !== requestId) return fail('conflict', 'this upload request is no longer open');
    return done({ conversationId: req.conversationId });
  }

  /** Stores an uploaded file and appends its `file` event (the request must still be open). */
  fileUploaded(rec: FileRecord, data: Buffer): Promise<Outcome<LogEvent>> {
    // Stored once, however often the append is decided again.
    let stored = false;
    const keep = async (): Promise<boolean> => (stored ||= await this.store.addFile(rec, data));
    return this.serially(rec.conversationId, () => this.fileNow(rec, keep));
  }

  /** Keeps an uploaded file (`keepBytes`) and appends its `file` event, when the request is still open. */
  private async fileNow(rec: FileRecord, keepBytes: () => Promise<boolean>): Promise<Outcome<LogEvent>> {
    const e = await this.cache.entry(rec.conversationId);
    if (!e) return fail('not_found', 'no such conversation');
    if (e.state.status === 'ended' || e.state.openUpload?.requestId !== rec.requestId) {
      return fail('conflict', 'this upload request is no longer open');
    }
    // Another relay kept a file for this request first: this one is not wanted.
    if (!(await keepBytes())) return fail('conflict', 'this upload request is no longer open');
    const out = await this.logOf().commit(rec.conversationId, [
      { type: 'file', requestId: rec.requestId, fileId: rec.fileId, name: rec.name, size: rec.size, mime: rec.mime },
    ]);
    return out.ok ? done(out.value[0]!) : out;
  }

  /** A file's metadata when `token` is its conversation's visitor token or any agent token. */
  async fileFor(fileId: string, token: string): Promise<FileRecord | null> {
    const f = await this.store.getFile(fileId);
    if (!f) return null;
    if (await this.authenticate(f.conversationId, token)) return f;
    return (await this.store.getAgentByTokenHash(hashToken(token))) ? f : null;
  }

  /** Checks that `agent` may send the customer a file in this conversation now: its owner or a guest, while it is live. */
  async agentFileTarget(agent: AgentRef, id: string): Promise<Outcome<void>> {
    const e = await this.cache.live(id);
    if (!e.ok) return e;
    const s = e.value.state;
    if (!isInChat(s, agent.id)) return fail('forbidden', 'only the agents in this conversation may send it files');
    return done(undefined);
  }

  /** Stores a file an agent sends the customer and appends its `file` event (from the agent). */
  agentFileSent(agent: AgentRef, rec: FileRecord, data: Buffer): Promise<Outcome<LogEvent>> {
    let stored = false;
    return this.serially(rec.conversationId, async () => {
      const allowed = await this.agentFileTarget(agent, rec.conversationId);
      if (!allowed.ok) return allowed;
      stored ||= await this.store.addFile(rec, data);
      const body: EventBody = { type: 'file', requestId: rec.requestId, fileId: rec.fileId, name: rec.name, size: rec.size, mime: rec.mime, from: 'agent', agent };
      const out = await this.logOf().commit(rec.conversationId, [body]);
      return out.ok ? done(out.value[0]!) : out;
    });
  }

  /**
   * The customer's upload for `requestId` failed here (too big, stalled, cut off): the
   * agents are told by an `upload_failed` event, and the request stays open for another
   * try. Nothing is told when the request is no longer open.
   */
  uploadFailed(id: string, requestId: string, reason: UploadFailure): Promise<Outcome<void>> {
    return this.serially(id, async () => {
      const e = await this.cache.live(id);
      if (!e.ok) return e;
      if (e.value.state.openUpload?.requestId !== requestId) return fail('conflict', 'this upload request is no longer open');
      const out = await this.logOf().commit(id, [{ type: 'upload_failed', requestId, reason }]);
      return out.ok ? done(undefined) : out;
    });
  }

  /** A stored file's bytes, or null. */
  fileBytes(fileId: string): Promise<Buffer | null> {
    return this.store.readFile(fileId);
  }
}
