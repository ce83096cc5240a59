/**
 * The quick-replies editor: add, change and remove saved answers. The list itself is
 * owned by the app (and saved to localStorage there); this only edits it.
 */
import { newReplyId, type QuickReply } from '../quick-replies.js';
import { Dialog } from './dialog.js';

/** Props of `QuickRepliesPanel`. */
export interface QuickRepliesPanelProps {
  replies: readonly QuickReply[];
  onChange: (replies: QuickReply[]) => void;
  onClose: () => void;
}

/** The editor, as a dialog. */
export function QuickRepliesPanel({ replies, onChange, onClose }: QuickRepliesPanelProps) {
  const update = (id: string, patch: Partial<QuickReply>) =>
    onChange(replies.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  return (
    <Dialog title="Quick replies" confirmLabel="Done" onCancel={onClose} onConfirm={onClose}>
      <p class="hint">Type ; in the composer to search these.</p>
      <ul class="quick-edit">
        {replies.map((r, i) => (
          <li key={r.id}>
            <label for={`qr-title-${r.id}`}>Name {i + 1}</label>
            <input id={`qr-title-${r.id}`} value={r.title} onInput={(e) => update(r.id, { title: e.currentTarget.value })} />
            <label for={`qr-text-${r.id}`}>Text {i + 1}</label>
            <textarea id={`qr-text-${r.id}`} rows={2} value={r.text} onInput={(e) => update(r.id, { text: e.currentTarget.value })} />
            <button type="button" onClick={() => onChange(replies.filter((x) => x.id !== r.id))}>
              Remove {r.title || `reply ${i + 1}`}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => onChange([...replies, { id: newReplyId(), title: '', text: '' }])}>
        Add a quick reply
      </button>
    </Dialog>
  );
}
