/**
 * The composer: a reply to the customer (Enter sends, Shift+Enter breaks the line) or an
 * internal note, and the quick-reply list that `;` opens, searched by what follows it.
 */
import { useId, useState } from 'preact/hooks';
import { quickReplyTrigger, searchQuickReplies, type QuickReply } from '../quick-replies.js';

/** Props of `Composer`. */
export interface ComposerProps {
  /** Replies are allowed (this agent owns the active chat); notes always are. */
  canReply: boolean;
  quickReplies: readonly QuickReply[];
  onSend: (text: string) => boolean;
  onNote: (text: string) => Promise<boolean>;
  onTyping: () => void;
}

/** The composer of one chat. */
export function Composer({ canReply, quickReplies, onSend, onNote, onTyping }: ComposerProps) {
  const [text, setText] = useState('');
  const [mode, setMode] = useState<'reply' | 'note' | null>(null);
  const [trigger, setTrigger] = useState<{ start: number; query: string; caret: number } | null>(null);
  const [active, setActive] = useState(0);
  const listId = useId();
  const fieldId = useId();
  const asNote = mode === 'note' || !canReply;
  const matches = trigger ? searchQuickReplies(quickReplies, trigger.query) : [];
  const open = trigger !== null && matches.length > 0;

  const submit = async () => {
    if (!text.trim()) return;
    const ok = asNote ? await onNote(text) : onSend(text);
    if (ok) setText('');
  };

  const pick = (r: QuickReply) => {
    if (!trigger) return;
    setText(text.slice(0, trigger.start) + r.text + text.slice(trigger.caret));
    setTrigger(null);
  };

  return (
    <form
      class={asNote ? 'composer composer--note' : 'composer'}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <fieldset class="composer-mode">
        <legend class="sr-only">Write</legend>
        <label>
          <input type="radio" name={`${fieldId}-mode`} checked={!asNote} disabled={!canReply} onChange={() => setMode('reply')} />
          Reply
        </label>
        <label>
          <input type="radio" name={`${fieldId}-mode`} checked={asNote} onChange={() => setMode('note')} />
          Internal note
        </label>
      </fieldset>
      <label for={fieldId} class="sr-only">
        {asNote ? 'Internal note (agents only)' : 'Reply to the customer'}
      </label>
      <textarea
        id={fieldId}
        rows={3}
        value={text}
        placeholder={asNote ? 'Internal note: only agents see this' : 'Reply… (Enter sends, ; for quick replies)'}
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        onInput={(e) => {
          const el = e.currentTarget;
          setText(el.value);
          const t = quickReplyTrigger(el.value, el.selectionStart ?? el.value.length);
          setTrigger(t ? { ...t, caret: el.selectionStart ?? el.value.length } : null);
          setActive(0);
          if (!asNote) onTyping();
        }}
        onKeyDown={(e) => {
          if (open) {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              const step = e.key === 'ArrowDown' ? 1 : -1;
              setActive((active + step + matches.length) % matches.length);
              return;
            }
            if (e.key === 'Enter' || e.key === 'Tab') {
              e.preventDefault();
              pick(matches[Math.min(active, matches.length - 1)]!);
              return;
            }
            if (e.key === 'Escape') {
              e.preventDefault();
              setTrigger(null);
              return;
            }
          }
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void submit();
          }
        }}
      />
      {open && (
        <ul id={listId} class="quick-list" role="listbox" aria-label="Quick replies">
          {matches.map((r, i) => (
            <li
              key={r.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              class={i === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(r);
              }}
            >
              <strong>{r.title}</strong> <span>{r.text}</span>
            </li>
          ))}
        </ul>
      )}
      <button type="submit" class="primary">
        {asNote ? 'Add note' : 'Send'}
      </button>
    </form>
  );
}
