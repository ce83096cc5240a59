/**
 * The open file request under the transcript: waiting for the customer's file, or, once
 * their last try failed at the relay (too large, stalled, cut off), that it failed and
 * that they may try again, so it never reads as an endless wait. The owner can withdraw
 * it. Apart from the chat pane so the pane stays a list of its parts.
 */
import type { OpenUploadRequest, UploadFailure } from '../../protocol/index.js';
import { pendingUploadPieces } from '../words.js';
import { Pieces } from './typed.js';

/** Props of `UploadPending`. */
export interface UploadPendingProps {
  upload: OpenUploadRequest;
  /** Why the customer's last try failed, if it did. */
  failed: UploadFailure | null;
  /** This agent owns the chat and may withdraw the request. */
  canCancel: boolean;
  busy: boolean;
  onCancel: () => void;
}

/** The open file request of one chat. */
export function UploadPending({ upload, failed, canCancel, busy, onCancel }: UploadPendingProps) {
  return (
    <div class={failed ? 'upload-pending upload-pending--failed' : 'upload-pending'} role="status">
      <span>
        <Pieces pieces={pendingUploadPieces(upload.note, failed)} />
      </span>{' '}
      {canCancel && (
        <button type="button" disabled={busy} onClick={onCancel}>
          Cancel file request
        </button>
      )}
    </div>
  );
}
