/**
 * What waits for this agent's answer, above the tiles: a chat the relay offers them, a
 * transfer request, an invitation into a conference. Each card shows the customer and
 * their page, who asks and the transfer note, a countdown to when it runs out, and
 * Accept and Decline (a refusal shows on the card). A card leaves when the relay's
 * summary no longer has it. A polite live region says how many wait, so a screen
 * reader hears a new one without hearing every tick of the countdowns.
 */
import { useId } from 'preact/hooks';
import type { ChatView } from '../console-state.js';
import type { Asked } from '../routing-selectors.js';
import { askedPieces, errorText, routingWords, timeLeftText } from '../words.js';
import { CustomerDetails } from './customer-details.js';
import { Pieces, Typed } from './typed.js';

/** Props of `Incoming`. */
export interface IncomingProps {
  items: readonly { chat: ChatView; asked: Asked }[];
  now: number;
  onAccept: (id: string) => void;
  onDecline: (id: string) => void;
  /** Opens the chat to read it before answering. */
  onRead: (id: string) => void;
}

function Card({ chat, asked, now, onAccept, onDecline, onRead }: { chat: ChatView; asked: Asked } & Omit<IncomingProps, 'items'>) {
  const titleId = useId();
  const visitor = chat.state.visitor ?? chat.summary?.visitor ?? null;
  const page = chat.state.page ?? chat.summary?.page ?? null;
  const left = Date.parse(asked.until) - now;
  const busy = chat.busy === 'accept' || chat.busy === 'decline';
  return (
    <li class={`asked asked--${asked.kind}`}>
      <h3 id={titleId}>
        <Pieces pieces={askedPieces(asked.kind, asked.from, visitor?.name || visitor?.email || 'a customer')} />
      </h3>
      <CustomerDetails visitor={visitor} page={page}>
        {asked.note && (
          <>
            <dt>Note</dt>
            <dd>
              <Typed text={asked.note} />
            </dd>
          </>
        )}
      </CustomerDetails>
      {!Number.isNaN(left) && <p class="countdown">{timeLeftText(left)}</p>}
      {chat.error && (
        <p class="error" role="alert">
          {errorText(chat.error)}
        </p>
      )}
      <div class="asked-buttons">
        <button type="button" class="primary" disabled={busy} aria-describedby={titleId} onClick={() => onAccept(chat.id)}>
          {routingWords.accept}
        </button>
        <button type="button" disabled={busy} aria-describedby={titleId} onClick={() => onDecline(chat.id)}>
          {routingWords.decline}
        </button>
        <button type="button" class="link" aria-describedby={titleId} onClick={() => onRead(chat.id)}>
          Read the chat
        </button>
      </div>
    </li>
  );
}

/** The cards, the soonest to run out first; nothing but the live region when none waits. */
export function Incoming({ items, now, onAccept, onDecline, onRead }: IncomingProps) {
  const headingId = useId();
  const n = items.length;
  return (
    <>
      <p class="sr-only" role="status">
        {n === 0 ? '' : n === 1 ? 'One chat waits for your answer' : `${n} chats wait for your answer`}
      </p>
      {n > 0 && (
        <section class="incoming" aria-labelledby={headingId}>
          <h2 id={headingId}>{routingWords.incoming}</h2>
          <ul>
            {items.map(({ chat, asked }) => (
              <Card key={chat.id} chat={chat} asked={asked} now={now} onAccept={onAccept} onDecline={onDecline} onRead={onRead} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
