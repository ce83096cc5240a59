/**
 * The owner's own transfer request or invitation while it waits for the other agent:
 * "Waiting for Bob Stone to accept", the time left, and Withdraw. The chat stays the
 * owner's meanwhile; a decline or a timeout shows as a notice in the transcript.
 */
import type { Outgoing as OutgoingRequest } from '../routing-selectors.js';
import { outgoingPieces, routingWords, timeLeftText } from '../words.js';
import { Pieces } from './typed.js';

/** Props of `Outgoing`. */
export interface OutgoingProps {
  outgoing: OutgoingRequest;
  now: number;
  busy: boolean;
  onWithdraw: () => void;
}

/** The waiting request's line. */
export function Outgoing({ outgoing, now, busy, onWithdraw }: OutgoingProps) {
  const left = Date.parse(outgoing.until) - now;
  return (
    <div class="outgoing">
      <p role="status">
        <Pieces pieces={outgoingPieces(outgoing.kind, outgoing.to)} />
      </p>
      {!Number.isNaN(left) && <span class="countdown">{timeLeftText(left)}</span>}
      <button type="button" disabled={busy} onClick={onWithdraw}>
        {routingWords.withdraw}
      </button>
    </div>
  );
}
