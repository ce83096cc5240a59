/**
 * The owner's actions on a chat and their dialogs: request a file (with a note), transfer
 * to an agent (a request they accept) or the queue (with a note), invite an agent into
 * the chat, leave it to a guest, End and Block (with a comment), each confirmed before
 * anything is sent. Only online agents can be picked; while a transfer request or an
 * invitation waits, no other can be made.
 */
import { useId, useState } from 'preact/hooks';
import { MAX_NOTE_LENGTH, type AgentPresence, type AgentRef } from '../../protocol/index.js';
import type { ChatError } from '../console-state.js';
import { errorText, routingWords } from '../words.js';
import { AgentOptions, pickableAgents } from './agent-options.js';
import { Dialog } from './dialog.js';
import { Typed } from './typed.js';

/** Props of `ChatActions`: each callback resolves true when the relay agreed. */
export interface ChatActionsProps {
  me: string | undefined;
  agents: readonly AgentPresence[];
  busy: string | null;
  /** The chat's last refusal: shown in the dialog of the action it refused. */
  error: ChatError | null;
  /** A file request is already open (only one at a time). */
  uploadOpen: boolean;
  /** Agents in the chat beside this owner (a conference). */
  guests: readonly AgentRef[];
  /** A transfer request or invitation of this owner's waits for its answer. */
  asking: boolean;
  onRequestUpload: (note: string) => Promise<boolean>;
  onTransfer: (toAgentId: string | null, note: string) => Promise<boolean>;
  onInvite: (toAgentId: string) => Promise<boolean>;
  /** Leaves the chat to its first guest. */
  onLeave: () => Promise<boolean>;
  onEnd: () => Promise<boolean>;
  /** `byAddress`: also refuse everyone at the customer's network address. */
  onBlock: (comment: string, byAddress: boolean) => Promise<boolean>;
}

type Open = 'file' | 'transfer' | 'invite' | 'leave' | 'end' | 'block' | null;

/** The actions confirmed in a dialog, whose refusals show there (not in the chat's header). */
export const DIALOG_ACTIONS: readonly string[] = ['request_upload', 'transfer', 'invite', 'leave', 'end', 'block'];

/** The buttons and the one dialog that may be open. */
export function ChatActions(p: ChatActionsProps) {
  const [open, setOpen] = useState<Open>(null);
  const [note, setNote] = useState('');
  const [target, setTarget] = useState('');
  const [byAddress, setByAddress] = useState(false);
  const noteId = useId();
  const targetId = useId();
  const guestIds = p.guests.map((g) => g.id);
  const invitable = pickableAgents(p.agents, p.me, guestIds);
  const show = (o: Open) => {
    setNote('');
    setTarget(o === 'invite' ? (invitable[0]?.id ?? '') : '');
    setByAddress(false);
    setOpen(o);
  };
  const refusal = (action: string) => (p.error?.action === action ? errorText(p.error) : null);
  const run = async (action: () => Promise<boolean>) => {
    if (await action()) setOpen(null);
  };
  const noteField = (label: string) => (
    <p>
      <label for={noteId}>{label}</label>
      <textarea id={noteId} rows={3} maxLength={MAX_NOTE_LENGTH} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
    </p>
  );
  return (
    <div class="chat-actions" role="group" aria-label="Chat actions">
      <button type="button" disabled={p.uploadOpen} onClick={() => show('file')}>
        Request file
      </button>
      <button type="button" disabled={p.asking} onClick={() => show('transfer')}>
        Transfer
      </button>
      <button type="button" disabled={p.asking} onClick={() => show('invite')}>
        {routingWords.invite}
      </button>
      {p.guests.length > 0 && (
        <button type="button" onClick={() => show('leave')}>
          {routingWords.leave}
        </button>
      )}
      <button type="button" onClick={() => show('end')}>
        End chat
      </button>
      <button type="button" class="danger" onClick={() => show('block')}>
        Block
      </button>
      {open === 'file' && (
        <Dialog title="Ask the customer for a file" confirmLabel="Request file" busy={p.busy === 'request_upload'} error={refusal('request_upload')} onCancel={() => setOpen(null)} onConfirm={() => run(() => p.onRequestUpload(note))}>
          {noteField('What do you need? (shown to the customer)')}
        </Dialog>
      )}
      {open === 'transfer' && (
        <Dialog title="Transfer this chat" confirmLabel="Transfer" busy={p.busy === 'transfer'} error={refusal('transfer')} onCancel={() => setOpen(null)} onConfirm={() => run(() => p.onTransfer(target || null, note))}>
          <p>
            <label for={targetId}>Transfer to</label>
            <select id={targetId} value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
              <option value="">Back to the queue</option>
              <AgentOptions agents={p.agents} me={p.me} exclude={guestIds} />
            </select>
          </p>
          <p class="hint">An agent must accept the transfer; until then the chat stays yours.</p>
          {noteField('Note (optional)')}
        </Dialog>
      )}
      {open === 'invite' && (
        <Dialog title="Invite an agent into this chat" confirmLabel={routingWords.invite} busy={p.busy === 'invite' || !target} error={refusal('invite')} onCancel={() => setOpen(null)} onConfirm={() => target && run(() => p.onInvite(target))}>
          <p>
            <label for={targetId}>Invite</label>
            <select id={targetId} value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
              <AgentOptions agents={p.agents} me={p.me} exclude={guestIds} />
            </select>
          </p>
          <p class="hint">{invitable.length > 0 ? 'You both write to the customer; the chat stays yours.' : routingWords.noOnline}</p>
        </Dialog>
      )}
      {open === 'leave' && p.guests[0] && (
        <Dialog title="Leave this chat?" confirmLabel={routingWords.leave} busy={p.busy === 'leave'} error={refusal('leave')} onCancel={() => setOpen(null)} onConfirm={() => run(p.onLeave)}>
          <p>
            <Typed text={p.guests[0].name} /> will own the chat and go on with the customer.
          </p>
        </Dialog>
      )}
      {open === 'end' && (
        <Dialog title="End this chat?" confirmLabel="End chat" danger busy={p.busy === 'end'} error={refusal('end')} onCancel={() => setOpen(null)} onConfirm={() => run(p.onEnd)}>
          <p>The customer will see that the chat has ended and cannot write here any more.</p>
        </Dialog>
      )}
      {open === 'block' && (
        <Dialog title="Block this customer?" confirmLabel="Block customer" danger busy={p.busy === 'block'} error={refusal('block')} onCancel={() => setOpen(null)} onConfirm={() => run(() => p.onBlock(note, byAddress))}>
          <p>
            The chat ends, and for 30 days new chats with this email from this network address are refused. The email was typed by the
            visitor: someone else using it elsewhere is not affected.
          </p>
          {noteField('Comment for other agents')}
          <p>
            <label class="check">
              <input type="checkbox" checked={byAddress} onChange={(e) => setByAddress(e.currentTarget.checked)} /> Also block everyone at
              this network address (an office or a café may share it)
            </label>
          </p>
        </Dialog>
      )}
    </div>
  );
}
