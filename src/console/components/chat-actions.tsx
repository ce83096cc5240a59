/**
 * The owner's actions on a chat and their dialogs: request a file (with a note),
 * transfer to an agent or the queue (with a note), End and Block (with a comment),
 * each confirmed before anything is sent.
 */
import { useId, useState } from 'preact/hooks';
import { MAX_NOTE_LENGTH, withoutInvisibles, type AgentPresence } from '../../protocol/index.js';
import { statusLabels } from '../words.js';
import { Dialog } from './dialog.js';

/** Props of `ChatActions`: each callback resolves true when the relay agreed. */
export interface ChatActionsProps {
  me: string | undefined;
  agents: readonly AgentPresence[];
  busy: string | null;
  /** A file request is already open (only one at a time). */
  uploadOpen: boolean;
  onRequestUpload: (note: string) => Promise<boolean>;
  onTransfer: (toAgentId: string | null, note: string) => Promise<boolean>;
  onEnd: () => Promise<boolean>;
  /** `byAddress`: also refuse everyone at the customer's network address. */
  onBlock: (comment: string, byAddress: boolean) => Promise<boolean>;
}

type Open = 'file' | 'transfer' | 'end' | 'block' | null;

/** The buttons and the one dialog that may be open. */
export function ChatActions(p: ChatActionsProps) {
  const [open, setOpen] = useState<Open>(null);
  const [note, setNote] = useState('');
  const [target, setTarget] = useState('');
  const [byAddress, setByAddress] = useState(false);
  const noteId = useId();
  const targetId = useId();
  const show = (o: Open) => {
    setNote('');
    setTarget('');
    setByAddress(false);
    setOpen(o);
  };
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
      <button type="button" onClick={() => show('transfer')}>
        Transfer
      </button>
      <button type="button" onClick={() => show('end')}>
        End chat
      </button>
      <button type="button" class="danger" onClick={() => show('block')}>
        Block
      </button>
      {open === 'file' && (
        <Dialog title="Ask the customer for a file" confirmLabel="Request file" busy={p.busy === 'request_upload'} onCancel={() => setOpen(null)} onConfirm={() => run(() => p.onRequestUpload(note))}>
          {noteField('What do you need? (shown to the customer)')}
        </Dialog>
      )}
      {open === 'transfer' && (
        <Dialog title="Transfer this chat" confirmLabel="Transfer" busy={p.busy === 'transfer'} onCancel={() => setOpen(null)} onConfirm={() => run(() => p.onTransfer(target || null, note))}>
          <p>
            <label for={targetId}>Transfer to</label>
            <select id={targetId} value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
              <option value="">Back to the queue</option>
              {p.agents
                .filter((a) => a.id !== p.me)
                .map((a) => (
                  <option key={a.id} value={a.id}>
                    {`${withoutInvisibles(a.name)} (${statusLabels[a.status]})`}
                  </option>
                ))}
            </select>
          </p>
          {noteField('Note (optional)')}
        </Dialog>
      )}
      {open === 'end' && (
        <Dialog title="End this chat?" confirmLabel="End chat" danger busy={p.busy === 'end'} onCancel={() => setOpen(null)} onConfirm={() => run(p.onEnd)}>
          <p>The customer will see that the chat has ended and cannot write here any more.</p>
        </Dialog>
      )}
      {open === 'block' && (
        <Dialog title="Block this customer?" confirmLabel="Block customer" danger busy={p.busy === 'block'} onCancel={() => setOpen(null)} onConfirm={() => run(() => p.onBlock(note, byAddress))}>
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
