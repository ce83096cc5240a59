/**
 * "Send file" for the owner and the guests of a live chat: the button opens the
 * browser's file picker (the file input itself stays hidden, so the control is one
 * labelled button in the tab order); while the file goes, "Sending label.pdf…" with its
 * progress and a Stop button; a refusal ("label.pdf is 6.2 MB; the limit is 5 MB") as
 * an alert until dismissed or the next send. The sent file shows in the transcript.
 */
import { useRef } from 'preact/hooks';
import type { FileSend } from '../chat-files.js';
import { sendFilePieces } from '../words.js';
import { Pieces, Typed } from './typed.js';

/** Props of `SendFile`. */
export interface SendFileProps {
  /** This chat's send under way or refused, if any. */
  send: FileSend | undefined;
  onPick: (file: File) => void;
  onStop: () => void;
  onDismiss: () => void;
}

/** The send-a-file control of one chat. */
export function SendFile({ send, onPick, onStop, onDismiss }: SendFileProps) {
  const input = useRef<HTMLInputElement>(null);
  const sending = send?.status === 'sending' ? send : null;
  const percent = sending && sending.sent !== null && sending.size > 0 ? Math.floor((sending.sent / sending.size) * 100) : null;
  return (
    <div class="send-file">
      <input
        ref={input}
        type="file"
        hidden
        aria-label="File to send to the customer"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          // Cleared so that the same file can be picked again after a refusal.
          e.currentTarget.value = '';
          if (file) onPick(file);
        }}
      />
      <button type="button" disabled={sending !== null} onClick={() => input.current?.click()}>
        Send file
      </button>
      {sending && (
        <span class="send-file-progress">
          {/* Only the words are announced, not every percent. */}
          <span role="status">
            <Pieces pieces={sendFilePieces(sending)} />
          </span>
          {percent === null ? (
            <progress aria-label={`Sending ${sending.name}`} />
          ) : (
            <progress max={100} value={percent} aria-label={`Sending ${sending.name}`} />
          )}
          {percent !== null && ` ${percent}%`}{' '}
          <button type="button" onClick={onStop}>
            Stop sending <Typed text={sending.name} />
          </button>
        </span>
      )}
      {send?.status === 'failed' && (
        <>
          <span class="error" role="alert">
            <Pieces pieces={sendFilePieces(send)} />
          </span>
          <button type="button" onClick={onDismiss}>
            Dismiss
          </button>
        </>
      )}
    </div>
  );
}
