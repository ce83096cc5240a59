/**
 * Chats that ended in the past, for the History journeys: written through the relay's
 * store with the times they would have had (so "yesterday" needs no clock and no sleep),
 * as the relay writes a chat that is asked for, claimed, talked in, given a file and a
 * note, and ended. The relay never held them open, so no tile shows them.
 */
import { randomUUID } from 'node:crypto';
import type { AgentRef, EventBody } from '../../src/protocol/index.js';
import { newId } from '../../src/relay/ids.js';
import type { Store } from '../../src/relay/index.js';

/** What a past chat holds; it lasts one minute per event, ending at `endedAt`. */
export interface PastChatSpec {
  email: string;
  name?: string;
  agent: AgentRef;
  endedAt: Date;
  messages: ['visitor' | 'agent', string][];
  note?: string;
  file?: { name: string; bytes: Buffer };
}

/** Writes the chat; resolves to its conversation id (and its file's id, when it has one). */
export async function writePastChat(store: Store, spec: PastChatSpec): Promise<{ id: string; fileId: string | null }> {
  const id = newId();
  const fileId = spec.file ? newId() : null;
  const requestId = newId();
  const bodies: EventBody[] = [{ type: 'claimed', agent: spec.agent }];
  for (const [from, text] of spec.messages) {
    bodies.push(from === 'agent' ? { type: 'message', from, agent: spec.agent, text, clientId: randomUUID() } : { type: 'message', from, text, clientId: randomUUID() });
  }
  if (spec.file && fileId) {
    bodies.push({ type: 'upload_requested', requestId, agent: spec.agent, maxBytes: 5_242_880 });
    bodies.push({ type: 'file', requestId, fileId, name: spec.file.name, size: spec.file.bytes.length, mime: 'text/plain' });
  }
  const minutes = bodies.length + 1;
  const at = (i: number) => new Date(spec.endedAt.getTime() - (minutes - i) * 60_000).toISOString();
  const visitor = { email: spec.email, ...(spec.name ? { name: spec.name } : {}) };
  await store.createConversation({ id, tokenHash: newId(), email: spec.email, ip: '203.0.113.7' }, { type: 'requested', visitor }, at(0));
  let seq = 1;
  for (const body of bodies) {
    if (body.type === 'file' && spec.file) {
      await store.addUploadRequest({ requestId, conversationId: id, agentId: spec.agent.id, at: at(seq) });
      await store.addFile({ fileId: body.fileId, conversationId: id, requestId, name: body.name, size: body.size, mime: body.mime, at: at(seq) }, spec.file.bytes);
    }
    if (!(await store.append(id, seq, [body], at(seq), { status: 'active', ownerId: spec.agent.id }))) throw new Error(`could not write event ${seq}`);
    if (seq === 2 && spec.note) await store.addNote({ id: newId(), conversationId: id, agent: spec.agent, text: spec.note, at: at(seq) });
    seq++;
  }
  await store.append(id, seq, [{ type: 'ended', by: 'agent', agent: spec.agent }], spec.endedAt.toISOString(), { status: 'ended', ownerId: null });
  return { id, fileId };
}
